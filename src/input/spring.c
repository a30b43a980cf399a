/* placeholder during bring-up; replaced by the Spring Boot reader */
#include "input/input.h"
#include "yaml/yload.h"
void read_spring_doc(struct model *m, uint32_t file, const struct ynode *root)
{
    input_error(m, file, root, "Spring Boot files are not supported yet");
}
void read_spring_properties(struct model *m, uint32_t file)
{
    struct loc l = {file, 1, 1};
    diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l, "Spring Boot files are not supported yet");
}
