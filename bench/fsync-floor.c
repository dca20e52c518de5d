// The storage floor for bench/files.sh: what this disk gives to durable 100 KB file writes made the way Basalt's local
// storage makes them (Files/LocalFileStorage.cs), with no HTTP, no record and no database. Each operation creates a
// new folder (as each upload goes to a new record's folder) and fsyncs its parent, writes the bytes to a temporary
// file, fsyncs it, renames it into place and fsyncs the folder.
//
//   fsync-floor DIR THREADS SECONDS BYTES
//   prints: RESULT <operations> <duration_us> <p50_ms> <p99_ms> 0 0   (the line bench/lua/report.lua prints for wrk)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 1000000

static const char *root;
static int seconds;
static size_t bytes;
static char *payload;
static double *samples;
static long sample_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stop;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void fsync_path(const char *path, int flags) {
  int fd = open(path, flags);
  if (fd < 0 || fsync(fd) != 0) { perror(path); exit(1); }
  close(fd);
}

static void *writer(void *arg) {
  long id = (long)arg, n = 0;
  char folder[4096], temporary[4200], target[4200];
  while (!stop) {
    double started = now_ms();
    snprintf(folder, sizeof folder, "%s/t%ld-%ld", root, id, n++);
    if (mkdir(folder, 0755) != 0) { perror(folder); exit(1); }
    fsync_path(root, O_RDONLY | O_DIRECTORY);
    snprintf(temporary, sizeof temporary, "%s/.upload-tmp", folder);
    snprintf(target, sizeof target, "%s/file_abcdefghij.bin", folder);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) { perror(temporary); exit(1); }
    for (size_t done = 0; done < bytes;) {
      ssize_t w = write(fd, payload + done, bytes - done);
      if (w < 0) { perror("write"); exit(1); }
      done += (size_t)w;
    }
    if (fsync(fd) != 0) { perror("fsync"); exit(1); }
    close(fd);
    if (rename(temporary, target) != 0) { perror("rename"); exit(1); }
    fsync_path(folder, O_RDONLY | O_DIRECTORY);
    double took = now_ms() - started;
    pthread_mutex_lock(&lock);
    if (!stop && sample_count < MAX_SAMPLES) samples[sample_count++] = took;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: fsync-floor DIR THREADS SECONDS BYTES\n"); return 2; }
  root = argv[1];
  int threads = atoi(argv[2]);
  seconds = atoi(argv[3]);
  bytes = (size_t)atol(argv[4]);
  payload = malloc(bytes);
  samples = malloc(sizeof(double) * MAX_SAMPLES);
  for (size_t i = 0; i < bytes; i++) payload[i] = (char)(rand() & 0xff);
  pthread_t *ids = calloc((size_t)threads, sizeof(pthread_t));
  double started = now_ms();
  for (long i = 0; i < threads; i++) pthread_create(&ids[i], NULL, writer, (void *)i);
  sleep((unsigned)seconds);
  pthread_mutex_lock(&lock);
  stop = 1;
  double elapsed = now_ms() - started;
  long count = sample_count;
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
  qsort(samples, (size_t)count, sizeof(double), compare);
  double p50 = count ? samples[count / 2] : 0, p99 = count ? samples[(long)(count * 0.99)] : 0;
  printf("RESULT %ld %.0f %.3f %.3f 0 0\n", count, elapsed * 1e3, p50, p99);
  return 0;
}
