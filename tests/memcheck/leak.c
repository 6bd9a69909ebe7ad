/* The memcheck harness's own check: this program leaks a block and reads uninitialised memory
 * on purpose, and its ctest (memcheck_catches_errors) passes only if valgrind fails it. Without
 * it, a wrapper that silently stopped running valgrind would leave every test green. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    (void)argv;
    char *leaked = malloc(64);
    int *uninitialised = malloc(sizeof(int));
    if (leaked == NULL || uninitialised == NULL)
        return 2;
    leaked[0] = 'x';
    if (*uninitialised + argc > 1000) /* a conditional jump on uninitialised memory */
        puts("unlikely");
    free(uninitialised);
    leaked = NULL; /* the only pointer is gone: a definite leak */
    return 0;
}
