/* One input file read as FUZZ_DIALECT (compiled once per dialect: manifest,
 * properties, strimzi, spring, compose, and auto-detection), then the
 * shipped rules on the model and every output format. */
#include "fuzz_model.h"

#ifndef FUZZ_DIALECT
#define FUZZ_DIALECT DL_AUTO
#endif
#ifndef FUZZ_NAME
#define FUZZ_NAME "input.yaml"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rule_set rs;
    static int ready;
    if (!ready) {
        rule_set_init(&rs);
        rule_set_load_path(&rs, RULES_DIR);
        ready = 1;
    }
    struct model m;
    model_init(&m);
    uint32_t id = source_set_add(&m.sources, FUZZ_NAME, fuzz_str(data, size), size);
    input_load_source(&m, id, FUZZ_DIALECT);
    model_finalize(&m);
    struct finding_list fl;
    finding_list_init(&fl);
    engine_run(&rs, &m, &fl);
    engine_merge_causes(&rs, &m, &fl);
    finding_list_sort(&fl, &m);
    fuzz_render(&m, &fl, &rs);
    finding_list_release(&fl);
    model_release(&m);
    return 0;
}
