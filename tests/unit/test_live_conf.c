/*
 * test_live_conf.c - connection configuration: bootstrap precedence, -X
 * pass-through, the Java .properties mapping of --command-config, JKS and
 * PKCS#12 stores, and that no message ever contains a secret.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live/live_internal.h"

static char dir[64];

static const char *file(const char *name, const void *data, size_t n)
{
    static char path[8][256];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, 256, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(data, 1, n, f);
    fclose(f);
    return p;
}

static const char *props(const char *text) { return file("client.properties", text, strlen(text)); }

/* value of key in conf, "" if unset */
static const char *get(rd_kafka_conf_t *c, const char *k)
{
    static char v[1024];
    size_t n = sizeof v;
    if (rd_kafka_conf_get(c, k, v, &n) != RD_KAFKA_CONF_OK)
        v[0] = '\0';
    return v;
}

static int build(struct live_opts *o, rd_kafka_conf_t **conf, struct diag_list *dl, char **target,
                 bool *dbg)
{
    *conf = rd_kafka_conf_new();
    diag_list_init(dl);
    return live_build_conf(o, *conf, target, dbg, dl);
}

static void done(rd_kafka_conf_t *conf, struct diag_list *dl, char *target)
{
    for (uint32_t i = 0; i < dl->n; i++) {
        assert_null(strstr(dl->v[i].msg, "s3cret"));
        assert_true(!dl->v[i].hint || !strstr(dl->v[i].hint, "s3cret"));
    }
    rd_kafka_conf_destroy(conf);
    diag_list_release(dl);
    free(target);
}

static void test_bootstrap_precedence(void **state)
{
    (void)state;
    struct live_opts o;
    rd_kafka_conf_t *c;
    struct diag_list dl;
    char *t;
    bool dbg;
    setenv("KAFKA_BOOTSTRAP_SERVERS", "env:9092", 1);
    live_opts_init(&o);
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_string_equal(t, "env:9092");
    assert_string_equal(get(c, "bootstrap.servers"), "env:9092");
    done(c, &dl, t);

    o.command_config = props("bootstrap.servers=file:9092\n");
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_string_equal(t, "file:9092");
    done(c, &dl, t);

    o.conf[o.nconf++] = "bootstrap.servers=x:9092";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_string_equal(t, "x:9092");
    done(c, &dl, t);

    o.bootstrap = "b1:9092,b2:9092";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_string_equal(t, "b1:9092,b2:9092");
    assert_string_equal(get(c, "bootstrap.servers"), "b1:9092,b2:9092");
    done(c, &dl, t);
    unsetenv("KAFKA_BOOTSTRAP_SERVERS");
}

static void test_defaults_and_debug(void **state)
{
    (void)state;
    struct live_opts o;
    rd_kafka_conf_t *c;
    struct diag_list dl;
    char *t;
    bool dbg;
    live_opts_init(&o);
    o.bootstrap = "h:1";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_false(dbg);
    assert_string_equal(get(c, "isolation.level"), "read_uncommitted");
    assert_string_equal(get(c, "enable.auto.commit"), "false");
    assert_non_null(strstr(get(c, "debug"), "protocol"));
    assert_string_equal(get(c, "client.id"), "kafkaudit");
    done(c, &dl, t);

    o.conf[o.nconf++] = "debug=broker";
    o.conf[o.nconf++] = "client.id=audit-job";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_true(dbg);
    assert_non_null(strstr(get(c, "debug"), "broker"));
    assert_non_null(strstr(get(c, "debug"), "protocol"));
    assert_string_equal(get(c, "client.id"), "audit-job");
    done(c, &dl, t);
}

static void test_sasl_scram_and_pem(void **state)
{
    (void)state;
    static const char pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const char *ca = file("ca.pem", pem, sizeof pem - 1);
    char text[2048];
    snprintf(
        text, sizeof text,
        "security.protocol=sasl_ssl\n"
        "sasl.mechanism=SCRAM-SHA-256\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
        "    username=\"svc-audit\" password=\"s3cret \\\\\"quoted\\\\\"\";\n"
        "ssl.truststore.type=PEM\n"
        "ssl.truststore.location=%s\n"
        "ssl.endpoint.identification.algorithm=\n"
        "request.timeout.ms=5000\n",
        ca);
    struct live_opts o;
    live_opts_init(&o);
    o.bootstrap = "h:1";
    o.command_config = props(text);
    rd_kafka_conf_t *c;
    struct diag_list dl;
    char *t;
    bool dbg;
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_string_equal(get(c, "security.protocol"), "sasl_ssl");
    assert_string_equal(get(c, "sasl.mechanisms"), "SCRAM-SHA-256");
    assert_string_equal(get(c, "sasl.username"), "svc-audit");
    assert_string_equal(get(c, "sasl.password"), "s3cret \"quoted\"");
    assert_string_equal(get(c, "ssl.ca.location"), ca);
    assert_string_equal(get(c, "ssl.endpoint.identification.algorithm"), "none");
    assert_int_equal(dl.n, 0); /* request.timeout.ms is known and ignored quietly */
    done(c, &dl, t);

    /* -X wins over the file */
    o.conf[o.nconf++] = "sasl.username=override";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), 0);
    assert_string_equal(get(c, "sasl.username"), "override");
    done(c, &dl, t);
}

static void test_stores(void **state)
{
    (void)state;
    static const unsigned char jks[] = {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2};
    static const unsigned char p12[] = {0x30, 0x82, 0x0a, 0x01, 0x02, 0x01, 0x03};
    const char *jpath = file("store.jks", jks, sizeof jks);
    const char *ppath = file("client.p12", p12, sizeof p12);
    char text[2048];
    struct live_opts o;
    rd_kafka_conf_t *c;
    struct diag_list dl;
    char *t;
    bool dbg;

    /* PKCS#12 keystore maps; a JKS truststore is a clear error with a fix */
    snprintf(text, sizeof text,
             "security.protocol=SSL\n"
             "ssl.keystore.type=PKCS12\nssl.keystore.location=%s\n"
             "ssl.keystore.password=s3cret-ks\nssl.key.password=s3cret-key\n"
             "ssl.truststore.location=%s\nssl.truststore.password=s3cret-ts\n",
             ppath, jpath);
    live_opts_init(&o);
    o.bootstrap = "h:1";
    o.command_config = props(text);
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_string_equal(get(c, "ssl.keystore.location"), ppath);
    assert_string_equal(get(c, "ssl.keystore.password"), "s3cret-ks");
    assert_string_equal(get(c, "ssl.key.password"), "s3cret-key");
    assert_int_equal(dl.nerrors, 1);
    assert_non_null(strstr(dl.v[0].msg, "JKS"));
    assert_non_null(strstr(dl.v[0].msg, jpath));
    assert_non_null(dl.v[0].hint);
    assert_non_null(strstr(dl.v[0].hint, "keytool -exportcert"));
    done(c, &dl, t);

    /* a JKS keystore, declared or not */
    snprintf(text, sizeof text, "ssl.keystore.location=%s\nssl.keystore.password=s3cret\n", jpath);
    o.command_config = props(text);
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_non_null(strstr(dl.v[0].msg, "Java KeyStore"));
    assert_non_null(strstr(dl.v[0].hint, "keytool -importkeystore"));
    done(c, &dl, t);

    /* a PKCS#12 truststore: librdkafka reads CA certificates as PEM only */
    snprintf(text, sizeof text, "ssl.truststore.type=PKCS12\nssl.truststore.location=%s\n", ppath);
    o.command_config = props(text);
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_non_null(strstr(dl.v[0].hint, "openssl pkcs12"));
    done(c, &dl, t);

    /* a missing file, an unknown login module, an unreadable config */
    o.command_config =
        props("ssl.truststore.type=PEM\nssl.truststore.location=/nonexistent/ca.pem\n");
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_non_null(strstr(dl.v[0].msg, "/nonexistent/ca.pem"));
    done(c, &dl, t);
    o.command_config =
        props("sasl.jaas.config=com.example.CustomLoginModule required token=\"s3cret\";\n");
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_non_null(strstr(dl.v[0].msg, "CustomLoginModule"));
    done(c, &dl, t);
    o.command_config = "/nonexistent/client.properties";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_non_null(strstr(dl.v[0].msg, "/nonexistent/client.properties"));
    done(c, &dl, t);
}

static void test_bad_x(void **state)
{
    (void)state;
    struct live_opts o;
    rd_kafka_conf_t *c;
    struct diag_list dl;
    char *t;
    bool dbg;
    live_opts_init(&o);
    o.bootstrap = "h:1";
    o.conf[o.nconf++] = "security.protocol=carrier-pigeon";
    o.conf[o.nconf++] = "ssl.key.password=";
    o.conf[o.nconf++] = "sasl.mechanisms=NOPE-s3cret";
    assert_int_equal(build(&o, &c, &dl, &t, &dbg), -1);
    assert_true(dl.nerrors >= 1);
    assert_non_null(strstr(dl.v[0].msg, "security.protocol"));
    done(c, &dl, t);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ka-live-conf-XXXXXX");
    assert_non_null(mkdtemp(dir));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_precedence),
        cmocka_unit_test(test_defaults_and_debug),
        cmocka_unit_test(test_sasl_scram_and_pem),
        cmocka_unit_test(test_stores),
        cmocka_unit_test(test_bad_x),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        r = r ? r : 1;
    return r;
}
