/**
 * The C source of the native process zygote: the same protocol as the Perl
 * zygote (see zygote-script.ts) but forking with vfork, the cheapest way to
 * start a process. Compiled on first use when a C compiler is available (see
 * {@link createZygoteSpawner}); otherwise the Perl zygote is used.
 */
export const NATIVE_ZYGOTE_SOURCE = String.raw`/* Batchboard's process zygote in C: the same protocol as the Perl one (zygote-script.ts), with vfork. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 4096
struct job { long id; pid_t pid; int fds[2]; int open; int exited; int used; };
static struct job jobs[MAX_JOBS];
static char *out; static size_t out_len, out_cap;
static int wake[2];

static void put(const char *data, size_t len) {
  if (out_len + len > out_cap) { out_cap = (out_len + len) * 2 + 4096; out = realloc(out, out_cap); }
  memcpy(out + out_len, data, len); out_len += len;
}
static void flush_out(void) {
  size_t off = 0;
  while (off < out_len) { ssize_t n = write(1, out + off, out_len - off); if (n < 0) { if (errno == EINTR || errno == EAGAIN) continue; _exit(0); } off += (size_t)n; }
  out_len = 0;
}
static void on_chld(int sig) { (void)sig; int saved = errno; if (write(wake[1], "x", 1) < 0) {} errno = saved; }
static int unhex(const char *s, size_t n, char *dst) {
  for (size_t i = 0; i + 1 < n + 1 && i < n; i += 2) {
    int hi = s[i] <= '9' ? s[i] - '0' : (s[i] | 32) - 'a' + 10, lo = s[i + 1] <= '9' ? s[i + 1] - '0' : (s[i + 1] | 32) - 'a' + 10;
    *dst++ = (char)(hi * 16 + lo);
  }
  *dst = 0; return 0;
}
static void closed_check(struct job *j) {
  if (j->exited && j->open == 0) { char line[64]; int n = snprintf(line, sizeof line, "C %ld\n", j->id); put(line, (size_t)n); j->used = 0; }
}
static void spawn_job(char *line) {
  char *save, *tok = strtok_r(line, " ", &save); /* S */
  tok = strtok_r(NULL, " ", &save); if (!tok) return; long id = atol(tok);
  char *fields[1024]; int count = 0;
  while ((tok = strtok_r(NULL, " ", &save)) && count < 1024) { size_t n = strlen(tok); char *d = malloc(n / 2 + 1); unhex(tok, n, d); fields[count++] = d; }
  if (count < 2) return;
  int slot = -1; for (int i = 0; i < MAX_JOBS; i++) if (!jobs[i].used) { slot = i; break; }
  int o[2], e[2];
  if (slot < 0 || pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC)) { char msg[64]; int n = snprintf(msg, sizeof msg, "E %ld 6661696c6564\n", id); put(msg, (size_t)n); goto done; }
  char **env = calloc((size_t)count, sizeof(char *)); for (int i = 2; i < count; i++) env[i - 2] = fields[i];
  char *argv[] = { "/bin/sh", "-c", fields[1], NULL };
  pid_t pid = vfork();
  if (pid == 0) {
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY); dup2(devnull, 0); dup2(o[1], 1); dup2(e[1], 2);
    if (chdir(fields[0]) != 0) _exit(126);
    execve("/bin/sh", argv, env); _exit(127);
  }
  free(env);
  close(o[1]); close(e[1]);
  if (pid < 0) { close(o[0]); close(e[0]); char msg[64]; int n = snprintf(msg, sizeof msg, "E %ld 666f726b\n", id); put(msg, (size_t)n); goto done; }
  setpgid(pid, pid);
  jobs[slot] = (struct job){ id, pid, { o[0], e[0] }, 2, 0, 1 };
  { char msg[64]; int n = snprintf(msg, sizeof msg, "P %ld %d\n", id, (int)pid); put(msg, (size_t)n); }
done:
  for (int i = 0; i < count; i++) free(fields[i]);
}
static void reap(void) {
  int status; pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (int i = 0; i < MAX_JOBS; i++) if (jobs[i].used && jobs[i].pid == pid && !jobs[i].exited) {
      char msg[96]; int n = WIFSIGNALED(status) ? snprintf(msg, sizeof msg, "X %ld -1 %d\n", jobs[i].id, WTERMSIG(status)) : snprintf(msg, sizeof msg, "X %ld %d 0\n", jobs[i].id, WEXITSTATUS(status));
      put(msg, (size_t)n); jobs[i].exited = 1; closed_check(&jobs[i]); break;
    }
  }
}
int main(void) {
  signal(SIGPIPE, SIG_IGN);
  if (pipe2(wake, O_CLOEXEC | O_NONBLOCK)) return 1;
  struct sigaction sa = { 0 }; sa.sa_handler = on_chld; sa.sa_flags = SA_RESTART | SA_NOCLDSTOP; sigaction(SIGCHLD, &sa, NULL);
  char *in = malloc(1 << 16); size_t in_len = 0, in_cap = 1 << 16;
  static struct pollfd fds[2 * MAX_JOBS + 2]; static int owner[2 * MAX_JOBS + 2], stream[2 * MAX_JOBS + 2];
  char buf[65536];
  for (;;) {
    int n = 0;
    fds[n++] = (struct pollfd){ 0, POLLIN, 0 }; fds[n++] = (struct pollfd){ wake[0], POLLIN, 0 };
    for (int i = 0; i < MAX_JOBS; i++) if (jobs[i].used) for (int s = 0; s < 2; s++) if (jobs[i].fds[s] >= 0) { owner[n] = i; stream[n] = s; fds[n++] = (struct pollfd){ jobs[i].fds[s], POLLIN, 0 }; }
    int ready = poll(fds, (nfds_t)n, -1);
    if (ready < 0 && errno != EINTR) return 1;
    if (ready > 0 && (fds[1].revents & POLLIN)) { while (read(wake[0], buf, sizeof buf) > 0) {} }
    reap();
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
      if (in_cap - in_len < 4096) { in_cap *= 2; in = realloc(in, in_cap); }
      ssize_t r = read(0, in + in_len, in_cap - in_len);
      if (r == 0) return 0;
      if (r > 0) {
        in_len += (size_t)r; size_t start = 0;
        for (size_t i = 0; i < in_len; i++) if (in[i] == '\n') { in[i] = 0; if (in[start] == 'S') spawn_job(in + start); start = i + 1; }
        memmove(in, in + start, in_len - start); in_len -= start;
      }
    }
    for (int k = 2; k < n && ready > 0; k++) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      struct job *j = &jobs[owner[k]]; int s = stream[k];
      ssize_t r = read(fds[k].fd, buf, sizeof buf);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (r > 0) { char head[64]; int h = snprintf(head, sizeof head, "O %ld %d %zd\n", j->id, s + 1, r); put(head, (size_t)h); put(buf, (size_t)r); if (out_len > (1 << 20)) flush_out(); }
      else { close(j->fds[s]); j->fds[s] = -1; j->open--; closed_check(j); }
    }
    reap();
    if (out_len) flush_out();
  }
}
`;
