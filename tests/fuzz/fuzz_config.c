/* The project configuration (.kafkaudit.yaml): rule overrides, rule
 * directories, defaults and suppressions, applied to the shipped rules. */
#include "fuzz_util.h"
#include "cli/project_config.h"
#include "rules/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rule_set rs;
    static int ready;
    if (!ready) {
        rule_set_init(&rs);
        rule_set_load_path(&rs, RULES_DIR);
        ready = 1;
    }
    char path[256];
    fuzz_file(".kafkaudit.yaml", data, size, path, sizeof path);
    struct project_config pc;
    project_config_init(&pc);
    if (project_config_load(&pc, path) == 0)
        project_config_apply(&pc, &rs);
    project_config_release(&pc);
    return 0;
}
