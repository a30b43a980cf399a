/* The YAML node tree (src/syntax/ynode.c) over libyaml: every reader's base. */
#include "fuzz_util.h"
#include "util/arena.h"
#include "syntax/ynode.h"

static void walk(const struct ynode *n, int depth)
{
    if (!n || depth > 200)
        return;
    if (n->kind == Y_MAP) {
        for (uint32_t i = 0; i < n->map.n; i++) {
            walk(n->map.pairs[i].key, depth + 1);
            walk(n->map.pairs[i].val, depth + 1);
        }
        (void)ymap_get(n, "kafkaudit");
    } else if (n->kind == Y_SEQ) {
        for (uint32_t i = 0; i < n->seq.n; i++)
            walk(n->seq.items[i], depth + 1);
    } else {
        (void)ynode_is_null(n);
        (void)ynode_kind_name(n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    if (ydoc_parse(&a, (const char *)data, size, NULL, &ys, &err) == 0)
        for (uint32_t i = 0; i < ys.ndocs; i++)
            walk(ys.docs[i].root, 0); /* aliases are shared: depth-limited walk */
    arena_release(&a);
    return 0;
}
