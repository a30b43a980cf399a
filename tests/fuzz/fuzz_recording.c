/* `kafkaudit top` recordings (top --replay FILE): split into samples, each
 * sample read into a model. */
#include "fuzz_util.h"
#include "model/model.h"
#include "manifest/recording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[512];
    fuzz_file("recording.yaml", data, size, path, sizeof path);
    struct replay r;
    if (replay_open(&r, path, (size_t)64 << 20, err, sizeof err) < 0)
        return 0;
    for (uint32_t i = 0; i < r.ndocs && i < 8; i++) {
        struct model m;
        model_init(&m);
        replay_load(&r, i, &m, err, sizeof err);
        model_release(&m);
    }
    replay_close(&r);
    return 0;
}
