/*
 * parse_only.c - the lint benchmark's baseline: run libyaml's parser over
 * the same files kafkaudit lints, consuming every event and doing nothing
 * else.  kafkaudit's own work (tree, model, effective values, 50 rules,
 * rendering) is measured as a ratio to this.
 *
 *   bench_parse_only FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    unsigned long events = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        yaml_parser_t p;
        yaml_event_t ev;
        yaml_parser_initialize(&p);
        yaml_parser_set_input_file(&p, f);
        int done = 0;
        while (!done) {
            if (!yaml_parser_parse(&p, &ev)) {
                fprintf(stderr, "%s: parse error\n", argv[i]);
                return 1;
            }
            done = ev.type == YAML_STREAM_END_EVENT;
            events++;
            yaml_event_delete(&ev);
        }
        yaml_parser_delete(&p);
        fclose(f);
    }
    printf("%lu events\n", events);
    return 0;
}
