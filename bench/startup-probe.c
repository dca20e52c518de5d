// Times server starts: from exec of a command to its first 200 on GET /api/health, polled every 2 ms.
//   startup-probe PORT ROUNDS MODE LOG -- COMMAND ARGS...
// MODE says how each started server is ended before the next start:
//   kill      SIGKILL at once (the next start finds whatever the last one left);
//   kill-wal  one write first (POST /api/collections/bench/records, guest-creatable), then SIGKILL, so the next start
//             opens a database whose WAL holds a commit that no checkpoint copied back;
//   term      SIGTERM and wait for the exit (a graceful stop checkpoints and removes the WAL).
// Prints "start N: X ms (Y ms CPU)" per start and a last line "RESULT median p90 min max cpu-median" in milliseconds.
// The CPU time (user + system of all the server's threads and reaped children, read from /proc when the 200 arrives,
// in 10 ms ticks) moves less than the wall time when other work shares the cores.
// C rather than node so that the poller itself costs next to nothing on a two-core machine: a refused connect on
// loopback is a few microseconds. Every request goes to 127.0.0.1:PORT; each start gives up after 60 s.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int port;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// One HTTP/1.1 request: the status code, or 0 when nothing listens yet or the connection broke.
static int request(const char *method, const char *path, const char *body) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct timeval timeout = {.tv_sec = 30};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return 0;
  }
  char req[1024];
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                   method, path, port, strlen(body), body);
  if (write(fd, req, n) != n) {
    close(fd);
    return 0;
  }
  char head[16] = {0};
  size_t got = 0;
  while (got < 12) {
    ssize_t r = read(fd, head + got, 12 - got);
    if (r <= 0) break;
    got += r;
  }
  close(fd);
  return got >= 12 && strncmp(head, "HTTP/1.", 7) == 0 ? atoi(head + 9) : 0;
}

static long cpu_ms(pid_t pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  unsigned long utime, stime;
  long cutime, cstime;
  // Fields after the command name: state, then 10 numbers, then utime stime cutime cstime.
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld", &utime, &stime, &cutime, &cstime) != 4)
    return -1;
  long tick = sysconf(_SC_CLK_TCK);
  return (long)((utime + stime + cutime + cstime) * 1000 / tick);
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) { return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2; }

int main(int argc, char **argv) {
  int dash = 1;
  while (dash < argc && strcmp(argv[dash], "--") != 0) dash++;
  if (dash != 5 || dash + 1 >= argc) {
    fprintf(stderr, "usage: startup-probe PORT ROUNDS MODE LOG -- COMMAND ARGS...\n");
    return 2;
  }
  port = atoi(argv[1]);
  int rounds = atoi(argv[2]);
  const char *mode = argv[3], *log = argv[4];
  double *times = calloc(rounds, sizeof *times), *cpus = calloc(rounds, sizeof *cpus);

  for (int i = 0; i < rounds; i++) {
    double started = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
      setsid();
      int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
      execvp(argv[dash + 1], argv + dash + 1);
      _exit(127);
    }
    double ms = -1;
    long cpu = -1;
    int status;
    while (now_ms() - started < 60000) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        fprintf(stderr, "the server exited before answering /api/health; see %s\n", log);
        return 1;
      }
      if (request("GET", "/api/health", "") == 200) {
        ms = now_ms() - started;
        cpu = cpu_ms(pid);
        break;
      }
      usleep(2000);
    }
    if (ms >= 0 && strcmp(mode, "kill-wal") == 0) {
      int code = request("POST", "/api/collections/bench/records",
                         "{\"title\":\"startup probe\",\"n\":-1,\"status\":\"a\",\"body\":\"x\"}");
      if (code != 200) fprintf(stderr, "the write before the kill answered %d\n", code);
    }
    kill(-pid, strcmp(mode, "term") == 0 ? SIGTERM : SIGKILL);
    waitpid(pid, &status, 0);
    if (ms < 0) {
      fprintf(stderr, "the server did not answer /api/health within 60 s; see %s\n", log);
      return 1;
    }
    times[i] = ms;
    cpus[i] = cpu;
    printf("start %d: %.0f ms (%ld ms CPU)\n", i + 1, ms, cpu);
    fflush(stdout);
    usleep(300000);
  }
  qsort(times, rounds, sizeof *times, cmp);
  qsort(cpus, rounds, sizeof *cpus, cmp);
  int p90 = (rounds * 9 + 9) / 10 - 1;
  printf("RESULT %.0f %.0f %.0f %.0f %.0f\n", median(times, rounds), times[p90], times[0], times[rounds - 1],
         median(cpus, rounds));
  return 0;
}
