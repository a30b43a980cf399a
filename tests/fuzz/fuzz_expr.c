/* The rule condition language: compiled in each scope and evaluated on a
 * small deployment, and as a message template. */
#include "fuzz_model.h"
#include "rules/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct model *m = fuzz_model();
    char *text = fuzz_str(data, size);
    struct arena a;
    arena_init(&a);
    static const enum role primaries[] = {R_CLUSTER,  R_BROKER,   R_TOPIC,
                                          R_PRODUCER, R_CONSUMER, R_GROUP};
    struct eval_budget budget = {0, 1000000, false};
    for (size_t i = 0; i < sizeof primaries / sizeof *primaries; i++) {
        enum role r = primaries[i];
        uint32_t mask = (1u << r) | (1u << R_CLUSTER);
        if (r == R_PRODUCER || r == R_CONSUMER)
            mask |= 1u << R_TOPIC;
        struct eval_ctx c;
        memset(&c, 0, sizeof c);
        c.m = m;
        c.scratch = &a;
        c.budget = &budget;
        c.obj[R_CLUSTER] = &m->cluster.o;
        c.obj[R_BROKER] = m->nbrokers ? &m->brokers[0]->o : NULL;
        c.obj[R_TOPIC] = m->ntopics ? &m->topics[0]->o : NULL;
        c.obj[R_PRODUCER] = m->nproducers ? &m->producers[0]->o : NULL;
        c.obj[R_CONSUMER] = m->nconsumers ? &m->consumers[0]->o : NULL;
        c.obj[R_GROUP] = m->ngroups ? &m->groups[0]->o : NULL;
        struct expr_error err;
        struct expr *e = expr_compile(&a, text, mask, r, &err);
        if (e) {
            (void)expr_eval(e, &c);
            const char *key;
            const struct object *o;
            (void)expr_loc(e, &c, &key, &o);
        }
        struct tmpl *t = tmpl_compile(&a, text, mask, r, &err);
        if (t) {
            struct buf out = BUF_INIT;
            tmpl_render(t, &c, &out);
            buf_release(&out);
        }
    }
    arena_release(&a);
    free(text);
    return 0;
}
