/*
 * ruletest.c - run a rule's own examples.  Each example is a manifest
 * fragment; "fail" examples must make the rule fire, "pass" examples must
 * not.  This is how the shipped rule set proves every rule, and how users
 * test their own rules (`kafkaudit rules test DIR`).
 */
#include "manifest/manifest.h"
#include "rules/rule.h"
#include "util/xalloc.h"

#include <string.h>

uint32_t rule_test(const struct rule_set *rs, const struct rule *r, struct diag_list *diags,
                   uint32_t *nexamples)
{
    uint32_t failures = 0;
    *nexamples = r->nexamples;
    for (uint32_t i = 0; i < r->nexamples; i++) {
        const struct rule_example *ex = &r->examples[i];
        const struct src_file *sf = source_get(&rs->sources, ex->loc.file);
        struct model m;
        model_init(&m);
        /* the example's positions refer to the rule file: register a copy
         * so locations and carets work inside the example model too */
        uint32_t file = source_set_add(&m.sources, sf->path, xstrndup(sf->data, sf->len), sf->len);
        read_manifest_doc(&m, file, ex->doc);
        if (m.diags.nerrors) {
            for (uint32_t d = 0; d < m.diags.n; d++)
                if (m.diags.v[d].sev == DIAG_ERROR) {
                    struct loc l = m.diags.v[d].loc;
                    l.file = l.file ? ex->loc.file : 0; /* model file 1 is this rule file */
                    diag_add(diags, DIAG_ERROR, DK_RULES, l, "%s: invalid example: %s", r->id,
                             m.diags.v[d].msg);
                }
            failures++;
            model_release(&m);
            continue;
        }
        model_finalize(&m);
        struct finding_list fl;
        finding_list_init(&fl);
        engine_run_rule(r, &m, &fl);
        bool fired = fl.n > 0;
        if (fired != ex->expect_fire) {
            if (ex->expect_fire)
                diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc,
                         "%s: this 'fail' example should make the rule fire, but it did not",
                         r->id);
            else
                diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc,
                         "%s: this 'pass' example should not make the rule fire, but it did: %s",
                         r->id, fl.v[0].message);
            failures++;
        }
        finding_list_release(&fl);
        model_release(&m);
    }
    return failures;
}
