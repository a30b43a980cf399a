/* A compose file with its env files and ${VAR} interpolation: the input is
 * the compose file, a NUL byte, then the text of both `.env` (read for
 * interpolation) and `app.env` (an env_file). */
#include "fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t clen = nul ? (size_t)(nul - data) : size;
    const uint8_t *env = nul ? nul + 1 : data + size;
    size_t elen = (size_t)(data + size - env);
    char path[256], other[256];
    fuzz_file(".env", env, elen, other, sizeof other);
    fuzz_file("app.env", env, elen, other, sizeof other);
    fuzz_file("docker-compose.yml", data, clen, path, sizeof path);
    struct model m;
    model_init(&m);
    struct input_opts o;
    memset(&o, 0, sizeof o);
    o.force = DL_AUTO;
    o.jobs = 1;
    char *paths[] = {path};
    input_load_paths(&m, paths, 1, &o);
    model_finalize(&m);
    struct finding_list fl;
    finding_list_init(&fl);
    fuzz_render(&m, &fl, NULL);
    finding_list_release(&fl);
    model_release(&m);
    return 0;
}
