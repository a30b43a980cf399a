/* Rule files: loading (every field, conditions and message templates),
 * the rules' own examples, and the rules run on a small deployment. */
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct model *m = fuzz_model();
    struct rule_set rs;
    rule_set_init(&rs);
    rule_set_load_buffer(&rs, "rules.yaml", (const char *)data, size);
    rule_set_check_refs(&rs);
    if (!rs.diags.nerrors) {
        struct diag_list dl;
        diag_list_init(&dl);
        for (uint32_t i = 0; i < rs.n && i < 8; i++) {
            uint32_t nex;
            rule_test(&rs, rs.rules[i], &dl, &nex);
        }
        diag_list_release(&dl);
        struct finding_list fl;
        finding_list_init(&fl);
        engine_run(&rs, m, &fl);
        engine_report_budget(&rs);
        fuzz_render(m, &fl, &rs);
        finding_list_release(&fl);
    }
    rule_set_release(&rs);
    return 0;
}
