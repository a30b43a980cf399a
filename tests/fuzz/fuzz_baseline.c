/* Baselines (--baseline FILE: JSON of fingerprints). */
#include "fuzz_util.h"
#include "syntax/diag.h"
#include "syntax/source.h"
#include "suppress/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    fuzz_file("baseline.json", data, size, path, sizeof path);
    struct baseline b;
    struct diag_list dl;
    diag_list_init(&dl);
    struct source_set ss;
    source_set_init(&ss);
    memset(&b, 0, sizeof b);
    if (baseline_load(&b, path, &ss, &dl) == 0) {
        struct finding_list fl;
        finding_list_init(&fl);
        baseline_apply(&b, &fl);
        finding_list_release(&fl);
    }
    baseline_release(&b);
    diag_list_release(&dl);
    source_set_release(&ss);
    return 0;
}
