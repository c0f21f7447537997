/* replay.c -- runs the fuzz drivers over the stored corpus (a regular unit test).
 *
 * Usage: fuzz_replay <corpus-dir>. Every file in <corpus-dir>/parser goes to the request
 * parser driver and every file in <corpus-dir>/reader to the reply reader driver, each fed
 * once whole (plus the driver's own split) and once split at every 7th byte. Prints
 * "N passed, M failed" and exits non-zero when anything failed or no file was found.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int fuzz_resp_parser(const uint8_t *data, size_t size);
int fuzz_resp_parser_split(const uint8_t *data, size_t size, size_t step);
int fuzz_resp_reader(const uint8_t *data, size_t size);
int fuzz_resp_reader_split(const uint8_t *data, size_t size, size_t step);

typedef struct driver {
    const char *dir;
    int (*whole)(const uint8_t *, size_t);
    int (*split)(const uint8_t *, size_t, size_t);
} driver;

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0, n;

    if (!f)
        return NULL;
    do {
        if (len == cap) {
            uint8_t *nb;
            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    *size = len;
    return buf;
}

static void run_dir(const char *root, const driver *d, int *passed, int *failed)
{
    char path[4096];
    struct dirent *e;
    DIR *dir;

    snprintf(path, sizeof(path), "%s/%s", root, d->dir);
    dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "cannot open %s\n", path);
        (*failed)++;
        return;
    }
    while ((e = readdir(dir)) != NULL) {
        struct stat st;
        uint8_t *data;
        size_t size = 0;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s/%s", root, d->dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        data = read_all(path, &size);
        if (!data && size == 0 && st.st_size > 0) {
            fprintf(stderr, "cannot read %s\n", path);
            (*failed)++;
            continue;
        }
        if (d->whole(data ? data : (const uint8_t *)"", size) == 0 &&
            d->split(data ? data : (const uint8_t *)"", size, 7) == 0) {
            (*passed)++;
        } else {
            fprintf(stderr, "FAILED: %s\n", path);
            (*failed)++;
        }
        free(data);
    }
    closedir(dir);
}

int main(int argc, char **argv)
{
    static const driver drivers[] = {
        {"parser", fuzz_resp_parser, fuzz_resp_parser_split},
        {"reader", fuzz_resp_reader, fuzz_resp_reader_split},
    };
    int passed = 0, failed = 0;
    size_t i;

    if (argc != 2) {
        fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
        return 2;
    }
    for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        run_dir(argv[1], &drivers[i], &passed, &failed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed > 0 || passed == 0 ? 1 : 0;
}
