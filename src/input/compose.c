/* placeholder during bring-up; replaced by the docker-compose reader */
#include "input/input.h"
void read_compose_doc(struct model *m, uint32_t file, const struct ynode *root)
{
    (void)m; (void)file; (void)root;
}
