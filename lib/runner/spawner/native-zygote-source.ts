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
#define MAX_FIELDS 1024
struct job { long id; pid_t pid; int fds[2]; int open; int exited; int used; int kill_group; };
static struct job jobs[MAX_JOBS];
/* One past the highest used slot: scans stop here, not at MAX_JOBS, since few jobs run at once. */
static int top;
static char *out; static size_t out_len, out_cap;
static int devnull;
static sigset_t wait_mask, child_mask;

static void put(const char *data, size_t len) {
  if (out_len + len > out_cap) { out_cap = (out_len + len) * 2 + 4096; out = realloc(out, out_cap); }
  memcpy(out + out_len, data, len); out_len += len;
}
static void flush_out(void) {
  size_t off = 0;
  while (off < out_len) { ssize_t n = write(1, out + off, out_len - off); if (n < 0) { if (errno == EINTR || errno == EAGAIN) continue; _exit(0); } off += (size_t)n; }
  out_len = 0;
}
/* SIGCHLD only interrupts ppoll (it is blocked everywhere else); reaping happens in the loop. */
static void on_chld(int sig) { (void)sig; }
static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
static void reply_error(long id, const char *hex) { char msg[96]; int n = snprintf(msg, sizeof msg, "E %ld %s\n", id, hex); put(msg, (size_t)n); }
static void release(struct job *j) { j->used = 0; while (top > 0 && !jobs[top - 1].used) top--; }
static void closed_check(struct job *j) {
  if (j->exited && j->open == 0) { char line[64]; int n = snprintf(line, sizeof line, "C %ld\n", j->id); put(line, (size_t)n); release(j); }
}
/*
 * "S <id> <k|-> <hex of cwd NUL command NUL name=value NUL ...>": decoded in place, the fields are C strings.
 * With "k", whatever is left in the command's process group is killed when the shell exits.
 */
static void spawn_job(char *line) {
  char *p = line + 2, *end;
  long id = strtol(p, &end, 10);
  if (end[0] != ' ' || (end[1] != 'k' && end[1] != '-') || end[2] != ' ') return;
  int kill_group = end[1] == 'k';
  char *hex = end + 3, *data = hex; size_t n = strlen(hex);
  for (size_t i = 0; i + 1 < n; i += 2) *data++ = (char)(hexval(hex[i]) * 16 + hexval(hex[i + 1]));
  char *fields[MAX_FIELDS + 3]; int count = 0;
  if (data > hex && data[-1] == 0) for (char *f = hex; f < data && count < MAX_FIELDS + 2; f += strlen(f) + 1) fields[count++] = f;
  if (count < 2) { reply_error(id, "6261642072657175657374"); return; }
  fields[count] = NULL;
  int slot = -1; for (int i = 0; i < MAX_JOBS; i++) if (!jobs[i].used) { slot = i; break; }
  int o[2], e[2];
  if (slot < 0) { reply_error(id, "746f6f206d616e7920636f6d6d616e6473"); return; }
  if (pipe2(o, O_CLOEXEC)) { reply_error(id, "70697065"); return; }
  if (pipe2(e, O_CLOEXEC)) { close(o[0]); close(o[1]); reply_error(id, "70697065"); return; }
  char *argv[] = { "/bin/sh", "-c", fields[1], NULL };
  pid_t pid = vfork();
  if (pid == 0) {
    /* The command gets the signal state a fresh process has: nothing blocked, SIGPIPE not ignored. */
    signal(SIGPIPE, SIG_DFL); signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, &child_mask, NULL);
    setpgid(0, 0);
    dup2(devnull, 0); dup2(o[1], 1); dup2(e[1], 2);
    if (chdir(fields[0]) != 0) _exit(126);
    execve("/bin/sh", argv, fields + 2); _exit(127);
  }
  close(o[1]); close(e[1]);
  if (pid < 0) { close(o[0]); close(e[0]); reply_error(id, "666f726b"); return; }
  setpgid(pid, pid);
  jobs[slot] = (struct job){ id, pid, { o[0], e[0] }, 2, 0, 1, kill_group };
  if (slot >= top) top = slot + 1;
  char msg[64]; int m = snprintf(msg, sizeof msg, "P %ld %d\n", id, (int)pid); put(msg, (size_t)m);
}
static void reap(void) {
  siginfo_t info; int status;
  for (;;) {
    /* Peek first: while the exited shell is an unreaped zombie its group id cannot be reused, so killing the group hits only its own leftovers. */
    info.si_pid = 0;
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
    pid_t pid = info.si_pid;
    for (int i = 0; i < top; i++) if (jobs[i].used && jobs[i].pid == pid && jobs[i].kill_group) kill(-pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid) return;
    for (int i = 0; i < top; i++) if (jobs[i].used && jobs[i].pid == pid && !jobs[i].exited) {
      char msg[96]; int n = WIFSIGNALED(status) ? snprintf(msg, sizeof msg, "X %ld -1 %d\n", jobs[i].id, WTERMSIG(status)) : snprintf(msg, sizeof msg, "X %ld %d 0\n", jobs[i].id, WEXITSTATUS(status));
      put(msg, (size_t)n); jobs[i].exited = 1; closed_check(&jobs[i]); break;
    }
  }
}
int main(void) {
  signal(SIGPIPE, SIG_IGN);
  devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) return 1;
  sigprocmask(SIG_SETMASK, NULL, &child_mask); sigdelset(&child_mask, SIGCHLD); sigdelset(&child_mask, SIGPIPE);
  struct sigaction sa = { 0 }; sa.sa_handler = on_chld; sa.sa_flags = SA_NOCLDSTOP; sigaction(SIGCHLD, &sa, NULL);
  sigset_t blocked; sigemptyset(&blocked); sigaddset(&blocked, SIGCHLD); sigprocmask(SIG_BLOCK, &blocked, &wait_mask);
  sigdelset(&wait_mask, SIGCHLD);
  char *in = malloc(1 << 16); size_t in_len = 0, in_cap = 1 << 16;
  static struct pollfd fds[2 * MAX_JOBS + 1]; static int owner[2 * MAX_JOBS + 1], stream[2 * MAX_JOBS + 1];
  char buf[65536];
  for (;;) {
    int n = 0;
    fds[n++] = (struct pollfd){ 0, POLLIN, 0 };
    for (int i = 0; i < top; i++) if (jobs[i].used) for (int s = 0; s < 2; s++) if (jobs[i].fds[s] >= 0) { owner[n] = i; stream[n] = s; fds[n++] = (struct pollfd){ jobs[i].fds[s], POLLIN, 0 }; }
    /* SIGCHLD is unblocked only while waiting, so an exit can neither be missed nor interrupt anything else. */
    int ready = ppoll(fds, (nfds_t)n, NULL, &wait_mask);
    if (ready < 0 && errno != EINTR) return 1;
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
    for (int k = 1; k < n && ready > 0; k++) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      struct job *j = &jobs[owner[k]]; int s = stream[k];
      ssize_t r = read(fds[k].fd, buf, sizeof buf);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (r > 0) { char head[64]; int h = snprintf(head, sizeof head, "O %ld %d %zd\n", j->id, s + 1, r); put(head, (size_t)h); put(buf, (size_t)r); if (out_len > (1 << 20)) flush_out(); }
      else { close(j->fds[s]); j->fds[s] = -1; j->open--; closed_check(j); }
    }
    if (out_len) flush_out();
  }
}
`;
