/**
 * The C source of the native process zygote: the same protocol as the Perl
 * zygote (see zygote-script.ts) but forking with vfork, the cheapest way to
 * start a process. With `--isolate` (inside the sandbox) each command's shell
 * is PID 1 of a user and PID namespace of its own, which costs a few percent
 * of a plain start: when the shell exits or is killed, the kernel ends all it
 * started, setsid and double-fork escapes included. Compiled on first use
 * when a C compiler is available (see {@link ensureNativeZygote}); otherwise
 * the Perl zygote is used.
 */
export const NATIVE_ZYGOTE_SOURCE = String.raw`/* Batchboard's process zygote in C: the same protocol as the Perl one (zygote-script.ts), with vfork.
 * With --isolate, each command's shell is PID 1 of a user and PID namespace of its own: when it exits or is
 * killed, the kernel ends everything it started, setsid and double-fork escapes included. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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
static int isolate;
/* Limits every isolated command gets (--limit RESOURCE=VALUE), set in the child before the shell starts. */
static struct { int resource; rlim_t value; } limits[8]; static int limit_count;

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
static void reply_error(long id, const char *text) {
  char msg[256]; int n = snprintf(msg, sizeof msg, "E %ld ", id);
  for (const char *c = text; *c && n < (int)sizeof msg - 3; c++) n += snprintf(msg + n, sizeof msg - (size_t)n, "%02x", (unsigned char)*c);
  msg[n++] = '\n'; put(msg, (size_t)n);
}
static void release(struct job *j) { j->used = 0; while (top > 0 && !jobs[top - 1].used) top--; }
static void closed_check(struct job *j) {
  if (j->exited && j->open == 0) { char line[64]; int n = snprintf(line, sizeof line, "C %ld\n", j->id); put(line, (size_t)n); release(j); }
}

/* What the child needs between fork and exec; it shares the zygote's memory (vfork), so it only reads this. */
struct start { char **fields; int out, err; };
static char *shell_argv[4] = { "/bin/sh", "-c", NULL, NULL };
/* The command gets the signal state a fresh process has: nothing blocked, SIGPIPE not ignored. */
static void enter_command(struct start *s) {
  signal(SIGPIPE, SIG_DFL); signal(SIGCHLD, SIG_DFL);
  sigprocmask(SIG_SETMASK, &child_mask, NULL);
  dup2(devnull, 0); dup2(s->out, 1); dup2(s->err, 2);
  if (chdir(s->fields[0]) != 0) _exit(126);
  execve("/bin/sh", shell_argv, s->fields + 2); _exit(127);
}
/* An isolated command: PID 1 of its namespaces, its own session, the zygote's death its own, unprivileged, limited. */
static int isolated_child(void *arg) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  setsid();
  /* CPU time: the hard limit a second later, so the command gets SIGXCPU (which names the limit) rather than SIGKILL. */
  for (int i = 0; i < limit_count; i++) { struct rlimit l = { limits[i].value, limits[i].value + (limits[i].resource == RLIMIT_CPU) }; setrlimit(limits[i].resource, &l); }
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  enter_command(arg);
  return 127;
}
static char child_stack[256 * 1024] __attribute__((aligned(16)));

/*
 * "S <id> <k|-> <hex of cwd NUL command NUL name=value NUL ...>": decoded in place, the fields are C strings.
 * With "k", whatever the command left running is killed when the shell exits (isolated: always).
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
  if (count < 2) { reply_error(id, "bad request"); return; }
  fields[count] = NULL;
  int slot = -1;
  for (int i = 0; i < MAX_JOBS && slot < 0; i++) if (!jobs[i].used) slot = i;
  int o[2], e[2];
  if (slot < 0) { reply_error(id, "too many commands"); return; }
  if (pipe2(o, O_CLOEXEC)) { reply_error(id, "pipe"); return; }
  if (pipe2(e, O_CLOEXEC)) { close(o[0]); close(o[1]); reply_error(id, "pipe"); return; }
  /*
   * Isolated, the shell is PID 1 of its namespace, which the kernel shields from signals it has no handler for:
   * these traps let a stop's TERM end the script (not just its current command), and the CPU time and file size
   * limits end it, as they would end any other shell (exit 128 + the signal's number).
   */
  static const char term_trap[] = "trap 'exit 143' TERM; trap 'exit 152' XCPU; trap 'exit 153' XFSZ; ";
  char *script = NULL;
  if (isolate) {
    script = malloc(sizeof term_trap + strlen(fields[1]));
    if (!script) { close(o[0]); close(o[1]); close(e[0]); close(e[1]); reply_error(id, "out of memory"); return; }
    memcpy(script, term_trap, sizeof term_trap - 1); strcpy(script + sizeof term_trap - 1, fields[1]);
  }
  shell_argv[2] = isolate ? script : fields[1];
  struct start s = { fields, o[1], e[1] };
  pid_t pid;
  if (isolate) {
    /* Like vfork (the zygote waits until the shell has started), into new namespaces. */
    pid = clone(isolated_child, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK | CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, &s);
  } else {
    pid = vfork();
    if (pid == 0) { setpgid(0, 0); enter_command(&s); }
    if (pid > 0) setpgid(pid, pid);
  }
  close(o[1]); close(e[1]); free(script);
  if (pid < 0) {
    int error = errno;
    close(o[0]); close(e[0]);
    char text[160]; snprintf(text, sizeof text, isolate ? "cannot create the command's namespaces: %s" : "fork: %s", strerror(error));
    reply_error(id, text); return;
  }
  jobs[slot] = (struct job){ id, pid, { o[0], e[0] }, 2, 0, 1, kill_group };
  if (slot >= top) top = slot + 1;
  char msg[64]; int m = snprintf(msg, sizeof msg, "P %ld %d\n", id, (int)pid); put(msg, (size_t)m);
}
/* "K <id> <signal>": to the command's process group; isolated, a KILL also goes to the shell, whose death as PID 1 ends its namespace. */
static void signal_job(char *line) {
  char *end; long id = strtol(line + 2, &end, 10); int sig = atoi(end);
  for (int i = 0; i < top; i++) if (jobs[i].used && jobs[i].id == id && !jobs[i].exited) {
    kill(-jobs[i].pid, sig);
    if (isolate && sig == SIGKILL) kill(jobs[i].pid, SIGKILL);
    return;
  }
}
static void reap(void) {
  siginfo_t info; int status;
  for (;;) {
    /* Peek first: while the exited shell is an unreaped zombie its group id cannot be reused, so killing the group hits only its own leftovers. */
    info.si_pid = 0;
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
    pid_t pid = info.si_pid;
    for (int i = 0; i < top; i++) if (jobs[i].used && jobs[i].pid == pid && jobs[i].kill_group && !isolate) kill(-pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid) return;
    for (int i = 0; i < top; i++) if (jobs[i].used && jobs[i].pid == pid && !jobs[i].exited) {
      char msg[96]; int n = WIFSIGNALED(status) ? snprintf(msg, sizeof msg, "X %ld -1 %d\n", jobs[i].id, WTERMSIG(status)) : snprintf(msg, sizeof msg, "X %ld %d 0\n", jobs[i].id, WEXITSTATUS(status));
      put(msg, (size_t)n); jobs[i].exited = 1; closed_check(&jobs[i]); break;
    }
  }
}
static int parse_limit(const char *spec) {
  static const struct { const char *name; int resource; } names[] = {
    { "nproc", RLIMIT_NPROC }, { "as", RLIMIT_AS }, { "data", RLIMIT_DATA }, { "cpu", RLIMIT_CPU }, { "fsize", RLIMIT_FSIZE }, { "nofile", RLIMIT_NOFILE } };
  const char *eq = strchr(spec, '=');
  if (!eq || limit_count == 8) return 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) if ((size_t)(eq - spec) == strlen(names[i].name) && !strncmp(spec, names[i].name, (size_t)(eq - spec))) {
    limits[limit_count].resource = names[i].resource; limits[limit_count++].value = (rlim_t)strtoull(eq + 1, NULL, 10); return 1;
  }
  return 0;
}
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--isolate")) isolate = 1;
    else if (!strcmp(argv[i], "--limit") && i + 1 < argc && parse_limit(argv[i + 1])) i++;
    else { fprintf(stderr, "zygote: bad argument %s\n", argv[i]); return 2; }
  }
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
        for (size_t i = 0; i < in_len; i++) if (in[i] == '\n') {
          in[i] = 0;
          if (in[start] == 'S') spawn_job(in + start); else if (in[start] == 'K') signal_job(in + start);
          start = i + 1;
        }
        memmove(in, in + start, in_len - start); in_len -= start;
      }
    }
    for (int k = 1; k < n && ready > 0; k++) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      struct job *j = &jobs[owner[k]]; int s = stream[k];
      if (j->fds[s] != fds[k].fd) continue;
      ssize_t r = read(fds[k].fd, buf, sizeof buf);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (r > 0) { char head[64]; int h = snprintf(head, sizeof head, "O %ld %d %zd\n", j->id, s + 1, r); put(head, (size_t)h); put(buf, (size_t)r); if (out_len > (1 << 20)) flush_out(); }
      else { close(j->fds[s]); j->fds[s] = -1; j->open--; closed_check(j); }
    }
    if (out_len) flush_out();
  }
}
`;
