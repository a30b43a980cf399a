/* The dashboard without a terminal (src/tui/): the cell grid (UTF-8,
 * ASCII fallback, truncation, hostile text), key names, and the UI state
 * machine: views, detail and back, selection kept across refreshes,
 * filter, search, sort, help, small terminals. */
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/grid.h"
#include "tui/ui.h"
#include "watch/watch.h"

#define T0 INT64_C(1700000000000)

static char *row(const struct grid *g, int y)
{
    static char out[4096];
    struct buf b = BUF_INIT;
    grid_row_text(g, y, &b);
    snprintf(out, sizeof out, "%s", buf_str(&b));
    size_t n = strlen(out);
    if (n && out[n - 1] == '\n')
        out[n - 1] = '\0';
    buf_release(&b);
    return out;
}

static void test_grid_text(void **state)
{
    (void)state;
    struct grid g;
    grid_init(&g, 10, 3, true);
    assert_int_equal(grid_put(&g, 0, 0, 10, EL_NORMAL, "orders-0"), 8);
    assert_string_equal(row(&g, 0), "orders-0");
    /* too long: ellipsis in the last column */
    grid_put(&g, 0, 1, 6, EL_NORMAL, "__consumer_offsets");
    assert_string_equal(row(&g, 1), "__con\u2026");
    /* control characters from the cluster never reach the terminal */
    grid_put(&g, 0, 2, 10, EL_NORMAL, "a\033[2Jb\x7f");
    assert_string_equal(row(&g, 2), "a?[2Jb?");
    grid_clear(&g);
    /* double-width characters take two cells */
    grid_put(&g, 0, 0, 10, EL_NORMAL, "\u6f22\u5b57x");
    assert_int_equal(grid_width(&g, "\u6f22\u5b57x"), 5);
    assert_string_equal(row(&g, 0), "\u6f22\u5b57x");
    assert_int_equal(g.c[1].ch, 0);
    /* invalid UTF-8 becomes U+FFFD, never a broken byte */
    grid_put(&g, 0, 1, 10, EL_NORMAL,
             "a\xff"
             "b");
    assert_string_equal(row(&g, 1), "a\ufffdb");
    grid_release(&g);

    /* ASCII fallback: no byte above 0x7f */
    grid_init(&g, 20, 2, false);
    grid_put(&g, 0, 0, 20, EL_NORMAL, "caf\u00e9 \u6f22");
    assert_string_equal(row(&g, 0), "caf? ?");
    grid_put(&g, 0, 1, 4, EL_NORMAL, "abcdefgh");
    assert_string_equal(row(&g, 1), "abc~");
    assert_string_equal(grid_glyph(&g, GL_SPARK0 + 7), "#");
    struct buf b = BUF_INIT;
    grid_put(&g, 0, 0, 3, EL_SELECTED, "xyz");
    grid_attr_text(&g, &b);
    assert_string_equal(buf_str(&b), "SSS\n\n");
    buf_release(&b);
    grid_release(&g);
}

static void test_keys(void **state)
{
    (void)state;
    int k;
    assert_int_equal(key_parse("<Down>x", &k), 6);
    assert_int_equal(k, K_DOWN);
    assert_int_equal(key_parse("x", &k), 1);
    assert_int_equal(k, 'x');
    assert_int_equal(key_parse("<lt>", &k), 4);
    assert_int_equal(k, '<');
    assert_int_equal(key_parse("<Nope>", &k), 0);
    assert_int_equal(key_parse("", &k), 0);
    assert_int_equal(view_parse("groups"), V_GROUPS);
    assert_int_equal(view_parse("3"), V_TIMELINE);
    assert_int_equal(view_parse("nowhere"), -1);
}

/* A model with n topics of 4 partitions; partition p of topic t has ISR
 * size isr(t, p). */
struct fixture {
    struct watch w;
    struct model m;
    struct ui u;
    struct grid g;
};

static void load(struct fixture *f, int64_t t, const char *yaml)
{
    if (f->m.arena.head)
        model_release(&f->m);
    if (tu_model(&f->m, "fx.yaml", yaml))
        fail_msg("bad fixture: %s", f->m.diags.v[0].msg);
    watch_update(&f->w, &f->m, t);
    ui_set_model(&f->u, &f->m, NULL);
    f->u.st.sample_t = t;
    f->u.wall_now = t;
}

static const char *const BASE =
    "cluster: {live: true, config: {min.insync.replicas: 2},\n"
    "          brokers: [{id: 1}, {id: 2}, {id: 3}]}\n"
    "topics:\n"
    "  alpha:\n"
    "    partitions:\n"
    "      - {id: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2], log_end: 10}\n"
    "      - {id: 1, leader: 2, replicas: [2, 3, 1], isr: [2, 3, 1], log_end: 10}\n"
    "  beta:\n"
    "    partitions:\n"
    "      - {id: 0, leader: 3, replicas: [3, 1, 2], isr: [3, 1], log_end: 10}\n"
    "      - {id: 1, leader: 1, replicas: [1, 2, 3], isr: [1, 2], log_end: 10}\n"
    "groups:\n"
    "  g1:\n"
    "    state: Stable\n"
    "    members: [{member_id: m, client_id: \"evil\\e[31m\", assignment: {alpha: [0, 1]}}]\n"
    "    offsets: {alpha: {0: 5, 1: 10}}\n";

static void setup(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    watch_init(&f->w, NULL);
    ui_init(&f->u, &f->w);
    grid_init(&f->g, 80, 24, true);
    load(f, T0, BASE);
}

static void teardown(struct fixture *f)
{
    grid_release(&f->g);
    ui_release(&f->u);
    watch_release(&f->w);
    model_release(&f->m);
}

static bool screen_has(struct fixture *f, const char *s)
{
    ui_draw(&f->u, &f->g);
    struct buf b = BUF_INIT;
    grid_text(&f->g, &b);
    bool r = strstr(buf_str(&b), s) != NULL;
    buf_release(&b);
    return r;
}

static int selected_row(struct fixture *f)
{
    ui_draw(&f->u, &f->g);
    for (int y = 0; y < f->g.h; y++)
        if (f->g.c[(size_t)y * (size_t)f->g.w].el == EL_SELECTED)
            return y;
    return -1;
}

static void test_views_and_details(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f);
    assert_true(screen_has(&f, "1 Overview"));
    assert_true(screen_has(&f, "2 Partitions 3")); /* count of partitions at risk */
    assert_true(screen_has(&f, "at min ISR              3"));
    assert_int_equal(ui_key(&f.u, '2') & UI_REDRAW, UI_REDRAW);
    assert_int_equal(f.u.view, V_PARTITIONS);
    assert_true(screen_has(&f, "AT-MIN"));
    ui_key(&f.u, K_ENTER);
    assert_int_equal(f.u.view, V_PART_DETAIL);
    assert_true(screen_has(&f, "alpha-0  AT-MIN since <"));
    assert_true(screen_has(&f, "Esc")); /* the key bar offers the way back */
    ui_key(&f.u, K_ESC);
    assert_int_equal(f.u.view, V_PARTITIONS);
    ui_key(&f.u, K_TAB);
    assert_int_equal(f.u.view, V_TIMELINE);
    ui_key(&f.u, K_BTAB);
    ui_key(&f.u, K_BTAB);
    assert_int_equal(f.u.view, V_OVERVIEW);
    /* group detail: the hostile client id is drawn harmlessly */
    ui_key(&f.u, '5');
    ui_key(&f.u, K_ENTER);
    assert_int_equal(f.u.view, V_GROUP_DETAIL);
    assert_true(screen_has(&f, "evil?[31m"));
    assert_int_equal(ui_key(&f.u, 'q'), UI_QUIT);
    /* help: any key returns */
    ui_key(&f.u, '?');
    assert_true(screen_has(&f, "Press any key to return"));
    ui_key(&f.u, 'x');
    assert_false(f.u.help);
    /* a terminal below 40x10 gets a message, not garbage */
    grid_resize(&f.g, 30, 8);
    assert_true(screen_has(&f, "terminal too small (30x8)"));
    teardown(&f);
}

static void test_selection_filter_sort(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f);
    ui_key(&f.u, '2');
    /* rows: alpha-0, beta-0, beta-1 (all AT-MIN, by topic then id) */
    ui_key(&f.u, 'j');
    ui_key(&f.u, 'j');
    int y = selected_row(&f);
    assert_int_equal(y, 5);
    assert_non_null(strstr(row(&f.g, y), "beta"));
    /* alpha-1 falls under min ISR: it sorts first, the selection stays on beta-1 */
    load(&f, T0 + 2000,
         "cluster: {live: true, config: {min.insync.replicas: 2},\n"
         "          brokers: [{id: 1}, {id: 2}, {id: 3}]}\n"
         "topics:\n  alpha:\n    partitions:\n"
         "      - {id: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2], log_end: 10}\n"
         "      - {id: 1, leader: 2, replicas: [2, 3, 1], isr: [2], log_end: 10}\n"
         "  beta:\n    partitions:\n"
         "      - {id: 0, leader: 3, replicas: [3, 1, 2], isr: [3, 1], log_end: 10}\n"
         "      - {id: 1, leader: 1, replicas: [1, 2, 3], isr: [1, 2], log_end: 10}\n");
    y = selected_row(&f);
    assert_int_equal(y, 6);
    assert_non_null(strstr(row(&f.g, y), "beta"));
    assert_non_null(strstr(row(&f.g, 3), "UNDER-MIN"));
    /* filter: only beta; Esc clears */
    ui_key(&f.u, 'f');
    ui_key(&f.u, 'b');
    ui_key(&f.u, 'e');
    ui_key(&f.u, K_ENTER);
    assert_true(screen_has(&f, "filter: be"));
    assert_false(strstr(row(&f.g, 3), "alpha") != NULL);
    assert_null(strstr(row(&f.g, 5), "beta"));
    ui_key(&f.u, K_ESC);
    ui_draw(&f.u, &f.g);
    assert_non_null(strstr(row(&f.g, 3), "alpha"));
    /* search by topic-partition */
    ui_key(&f.u, '/');
    for (const char *p = "alpha-0"; *p; p++)
        ui_key(&f.u, *p);
    ui_key(&f.u, K_ENTER);
    y = selected_row(&f);
    assert_non_null(strstr(row(&f.g, y), "alpha"));
    assert_non_null(strstr(row(&f.g, y), "AT-MIN"));
    /* sort: by TOPIC (first column), then reversed */
    ui_key(&f.u, 's');
    ui_draw(&f.u, &f.g);
    assert_non_null(strstr(row(&f.g, 2), "TOPIC\u2193"));
    assert_non_null(strstr(row(&f.g, 3), "alpha"));
    ui_key(&f.u, 'S');
    ui_draw(&f.u, &f.g);
    assert_non_null(strstr(row(&f.g, 2), "TOPIC\u2191"));
    assert_non_null(strstr(row(&f.g, 3), "beta"));
    teardown(&f);
}

/* The status line while the cluster is unreachable: librdkafka's reason
 * runs past 80 columns; it is cut with an ellipsis, and what follows it
 * (recording, filter) stays on screen. */
static void test_unreachable_status_keeps_its_tail(void **state)
{
    (void)state;
    struct fixture f;
    setup(&f);
    f.u.st.unreachable = true;
    f.u.st.failures = 7;
    f.u.st.fail_since = T0;
    snprintf(f.u.st.fail_msg, sizeof f.u.st.fail_msg, "%s",
             "127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection "
             "refused (after 0ms in state CONNECT, 30 identical error(s) suppressed)");
    f.u.st.recording = true;
    f.u.st.recorded = 12;
    assert_true(screen_has(&f, "UNREACHABLE since"));
    /* what is shown is old: the title does not say LIVE */
    assert_true(screen_has(&f, " STALE "));
    assert_false(screen_has(&f, " LIVE "));
    assert_true(screen_has(&f, "(7 tries): 127.0.0.1:9092/bootstrap"));
    assert_true(screen_has(&f, "  rec 12"));
    assert_false(screen_has(&f, "error(s) suppressed)")); /* the reason's end is cut */
    /* a short reason is not cut */
    snprintf(f.u.st.fail_msg, sizeof f.u.st.fail_msg, "%s", "all brokers down");
    assert_true(screen_has(&f, "(7 tries): all brokers down  rec 12"));
    f.u.st.unreachable = false; /* reachable again: LIVE */
    assert_true(screen_has(&f, " LIVE "));
    teardown(&f);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_text),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_views_and_details),
        cmocka_unit_test(test_selection_filter_sort),
        cmocka_unit_test(test_unreachable_status_keeps_its_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
