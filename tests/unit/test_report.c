/* The renderers: what names a live cluster where there is no file (the
 * label of render_cluster_label) in diagnostics, plain, github and text's
 * "also at". */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "report/render.h"

static struct rule_set RS;

/* What render (or render_diags_text when dl) writes, malloc'd. */
static char *rendered(const char *format, const struct model *m, const struct finding_list *fl,
                      const struct diag_list *dl, const struct model *live)
{
    char *s = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&s, &n);
    assert_non_null(out);
    if (dl)
        render_diags_text(out, &m->sources, dl, false, live);
    else {
        struct render_ctx c = {.m = m, .findings = fl, .quiet = true, .width = 100};
        render(out_format_find(format), out, &c);
    }
    fclose(out);
    return s;
}

static void make_live(struct model *m, const char *id)
{
    m->cluster.live = true;
    m->cluster.o.name = "10.0.0.1:9092,10.0.0.2:9092";
    m->cluster.cluster_id = id;
}

static void test_diagnostics_name_the_cluster(void **state)
{
    (void)state;
    struct model m;
    tu_model(&m, "deploy.yaml", "topics: {a: {replication_factor: 3}}\n");
    struct diag_list dl;
    diag_list_init(&dl);
    diag_add(&dl, DIAG_WARNING, DK_CLUSTER, LOC_NONE, "broker 3: DescribeConfigs: denied");

    /* no model read from a cluster: nothing to name it by */
    char *s = rendered(NULL, &m, NULL, &dl, NULL);
    assert_string_equal(s, "<cluster>: warning: broker 3: DescribeConfigs: denied\n");
    free(s);

    /* before the cluster id is known (unreachable): the bootstrap alone */
    make_live(&m, NULL);
    s = rendered(NULL, &m, NULL, &dl, &m);
    assert_string_equal(s, "10.0.0.1:9092,10.0.0.2:9092: warning: broker 3: DescribeConfigs: "
                           "denied\n");
    free(s);

    make_live(&m, "q1Sh");
    s = rendered(NULL, &m, NULL, &dl, &m);
    assert_string_equal(s, "10.0.0.1:9092,10.0.0.2:9092 (cluster q1Sh): warning: broker 3: "
                           "DescribeConfigs: denied\n");
    free(s);

    /* -C prod: its name */
    m.cluster.cluster_name = "prod";
    s = rendered(NULL, &m, NULL, &dl, &m);
    assert_string_equal(s, "prod (cluster q1Sh): warning: broker 3: DescribeConfigs: denied\n");
    free(s);

    /* a diagnostic without a file that is not about the cluster is the program.s */
    diag_list_release(&dl);
    diag_list_init(&dl);
    diag_add(&dl, DIAG_ERROR, DK_INPUT, LOC_NONE, "bad -X");
    s = rendered(NULL, &m, NULL, &dl, &m);
    assert_string_equal(s, "kafkaudit: error: bad -X\n");
    free(s);
    diag_list_release(&dl);
    model_release(&m);
}

static void test_findings_without_a_file(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    tu_lint(&RS, "cluster:\n  config:\n    min.insync.replicas: 1\n", &fl, &m);
    uint32_t k = fl.n;
    for (uint32_t i = 0; i < fl.n; i++)
        if (strcmp(fl.v[i].rule->id, "KA409") == 0)
            k = i;
    assert_true(k < fl.n);
    /* KA409 alone, as read from a cluster (no file) */
    for (uint32_t i = 0; i < fl.n; i++)
        if (i != k)
            finding_release(&fl.v[i]);
    fl.v[0] = fl.v[k];
    fl.n = 1;
    struct finding *f = &fl.v[0];
    f->loc = LOC_NONE;
    make_live(&m, "q1Sh");

    char *s = rendered("plain", &m, &fl, NULL, NULL);
    assert_true(strncmp(s, "10.0.0.1:9092,10.0.0.2:9092 (cluster q1Sh): error: [KA409] ",
                        strlen("10.0.0.1:9092,10.0.0.2:9092 (cluster q1Sh): error: [KA409] ")) ==
                0);
    assert_null(strchr(s, '<'));
    free(s);

    s = rendered("github", &m, &fl, NULL, NULL);
    const char *want = "::error title=KA409 Cluster default min.insync.replicas is "
                       "1::10.0.0.1:9092,10.0.0.2:9092 (cluster q1Sh): ";
    assert_true(strncmp(s, want, strlen(want)) == 0);
    assert_null(strstr(s, "file="));
    free(s);

    /* text's "also at": a place without a file is the cluster's label */
    f->loc = (struct loc){1, 3, 5};
    f->also = calloc(1, sizeof *f->also);
    f->also[0] = (struct finding_place){LOC_NONE, f->rule, f->obj, 0};
    f->nalso = f->capalso = 1;
    s = rendered("text", &m, &fl, NULL, NULL);
    assert_non_null(strstr(s, "also at: 10.0.0.1:9092,10.0.0.2:9092 (cluster q1Sh)\n"));
    assert_null(strstr(s, "<cluster>"));
    free(s);

    finding_list_release(&fl);
    model_release(&m);
}

int main(void)
{
    if (tu_builtin_rules(&RS)) {
        fprintf(stderr, "cannot load %s\n", RULES_DIR);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diagnostics_name_the_cluster),
        cmocka_unit_test(test_findings_without_a_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rule_set_release(&RS);
    return rc;
}
