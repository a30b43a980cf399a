#include "testutil.h"

#include <string.h>

#include "input/input.h"
#include "model/catalog.h"
#include "util/xalloc.h"

uint32_t tu_model_add(struct model *m, const char *name, const char *text)
{
    catalog_init();
    uint32_t before = m->diags.nerrors;
    uint32_t id = source_set_add(&m->sources, name, xstrdup(text), strlen(text));
    input_load_source(m, id, DL_AUTO);
    return m->diags.nerrors - before;
}

uint32_t tu_model(struct model *m, const char *name, const char *text)
{
    model_init(m);
    uint32_t e = tu_model_add(m, name, text);
    model_finalize(m);
    return e;
}

uint32_t tu_rules(struct rule_set *rs, const char *text)
{
    catalog_init();
    rule_set_init(rs);
    return rule_set_load_buffer(rs, "test-rules.yaml", text, strlen(text));
}

uint32_t tu_builtin_rules(struct rule_set *rs)
{
    catalog_init();
    rule_set_init(rs);
    return rule_set_load_path(rs, RULES_DIR);
}

uint32_t tu_count(const struct finding_list *fl, const char *id)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < fl->n; i++)
        if (fl->v[i].status == FS_ACTIVE && (!id || strcmp(fl->v[i].rule->id, id) == 0))
            n++;
    return n;
}

const struct finding *tu_find(const struct finding_list *fl, const char *id)
{
    for (uint32_t i = 0; i < fl->n; i++)
        if (strcmp(fl->v[i].rule->id, id) == 0)
            return &fl->v[i];
    return NULL;
}

void tu_lint(const struct rule_set *rs, const char *yaml, struct finding_list *fl, struct model *m)
{
    tu_model(m, "deploy.yaml", yaml);
    finding_list_init(fl);
    engine_run(rs, m, fl);
}
