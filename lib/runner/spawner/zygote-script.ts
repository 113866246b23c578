/**
 * The Perl source of the process zygote (see {@link createZygoteSpawner}).
 * Kept as a string so it runs with `perl -e` wherever the runner is bundled.
 */
export const ZYGOTE_SCRIPT = String.raw`# Batchboard's process zygote: a small, long-lived Perl process (perl-base is
# part of every Debian system) that forks commands on request. Forking this
# few-megabyte process is far cheaper than forking the Node server, whose
# fork cost dominates when running thousands of short commands.
#
# Requests (stdin, one per line):
#   S <id> <k|-> <hex of: cwd NUL command NUL [name=value NUL ...]>
#       run /bin/sh -c <command> in its own process group; with k, kill what is
#       left in that group when the shell exits
#   K <id> <signal number>
#       send the signal to the command's process group
# Replies (stdout):
#   P <id> <pid>\n                    started
#   E <id> <message hex>\n            could not start
#   O <id> <1|2> <length>\n<bytes>    output chunk (1 = stdout, 2 = stderr)
#   X <id> <code> <signal>\n          exited (code -1 when killed by a signal)
#   C <id>\n                          exited and both output pipes closed
# The zygote exits when its stdin closes (the server went away).
use strict;
use warnings;
use POSIX ();

$SIG{PIPE} = 'IGNORE';
# Self-pipe: a child's exit wakes select() even when it lands between two selects.
pipe(my $wake_r, my $wake_w) or die "pipe: $!";
{ my $previous = select($wake_w); $| = 1; select($previous); }
my $wake_fd = fileno($wake_r);
$SIG{CHLD} = sub { syswrite($wake_w, 'x') };
binmode STDIN;
binmode STDOUT;

my %job_of_pid;
my %job_of_fd;
my $inbuf = '';

# Replies of one loop iteration are sent together: fewer wake-ups for the server.
my $outbuf = '';

sub reply {
    $outbuf .= $_[0];
}

sub flush_replies {
    my $data = $outbuf;
    $outbuf = '';
    my $offset = 0;
    while ($offset < length $data) {
        my $written = syswrite(STDOUT, $data, length($data) - $offset, $offset);
        if (!defined $written) {
            next if $!{EINTR} || $!{EAGAIN};
            exit 0;
        }
        $offset += $written;
    }
}

sub maybe_closed {
    my ($job) = @_;
    reply("C $job->{id}\n") if $job->{exited} && $job->{open} == 0;
}

sub spawn_job {
    my ($id, $kill_group, $cwd, $command, @env) = @_;
    my ($out_r, $out_w, $err_r, $err_w);
    pipe($out_r, $out_w) or return reply("E $id " . unpack('H*', "pipe: $!") . "\n");
    pipe($err_r, $err_w) or return reply("E $id " . unpack('H*', "pipe: $!") . "\n");
    my $pid = fork();
    return reply("E $id " . unpack('H*', "fork: $!") . "\n") unless defined $pid;
    if ($pid == 0) {
        POSIX::setpgid(0, 0);
        $SIG{PIPE} = 'DEFAULT';
        $SIG{CHLD} = 'DEFAULT';
        close $wake_r;
        close $wake_w;
        close $out_r;
        close $err_r;
        open(STDIN, '<', '/dev/null');
        POSIX::dup2(fileno($out_w), 1);
        POSIX::dup2(fileno($err_w), 2);
        chdir($cwd) or POSIX::_exit(126);
        %ENV = ();
        for my $pair (@env) {
            my ($name, $value) = split(/=/, $pair, 2);
            $ENV{$name} = $value;
        }
        exec('/bin/sh', '-c', $command) or POSIX::_exit(127);
    }
    POSIX::setpgid($pid, $pid);
    close $out_w;
    close $err_w;
    my $job = { id => $id, pid => $pid, open => 2, exited => 0, kill_group => $kill_group };
    $job_of_pid{$pid} = $job;
    $job_of_fd{fileno($out_r)} = [$job, 1, $out_r];
    $job_of_fd{fileno($err_r)} = [$job, 2, $err_r];
    reply("P $id $pid\n");
}

sub reap {
    while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
        my $job = delete $job_of_pid{$pid} or next;
        my $status = $?;
        kill('KILL', -$pid) if $job->{kill_group};
        my ($code, $signal) = ($status & 127) ? (-1, $status & 127) : ($status >> 8, 0);
        $job->{exited} = 1;
        reply("X $job->{id} $code $signal\n");
        maybe_closed($job);
    }
}

sub handle_requests {
    while ((my $end = index($inbuf, "\n")) >= 0) {
        my $line = substr($inbuf, 0, $end);
        $inbuf = substr($inbuf, $end + 1);
        my ($kind, $id, $flags, $hex) = split(/ /, $line);
        next unless defined $kind;
        if ($kind eq 'K') {
            my ($job) = grep { $_->{id} eq $id } values %job_of_pid;
            kill($flags, -$job->{pid}) if $job;
            next;
        }
        next unless $kind eq 'S';
        my @fields = split(/\0/, pack('H*', $hex // ''), -1);
        # Every field ends in NUL, so the last element is the empty rest.
        if (@fields < 3 || pop(@fields) ne '') {
            reply("E $id " . unpack('H*', 'bad request') . "\n");
            next;
        }
        spawn_job($id, ($flags // '') eq 'k', @fields);
    }
}

while (1) {
    my $rin = '';
    vec($rin, 0, 1) = 1;
    vec($rin, $wake_fd, 1) = 1;
    vec($rin, $_, 1) = 1 for keys %job_of_fd;
    my $ready = select(my $rout = $rin, undef, undef, undef);
    if ($ready > 0 && vec($rout, $wake_fd, 1)) {
        my $drain;
        sysread($wake_r, $drain, 4096);
    }
    reap();
    if ($ready <= 0) {
        flush_replies() if length $outbuf;
        next;
    }
    if (vec($rout, 0, 1)) {
        my $read = sysread(STDIN, $inbuf, 1 << 16, length $inbuf);
        exit 0 if defined $read && $read == 0;
        handle_requests() if $read;
    }
    for my $fd (keys %job_of_fd) {
        next unless vec($rout, $fd, 1);
        my ($job, $stream, $handle) = @{ $job_of_fd{$fd} };
        my $buffer;
        my $read = sysread($handle, $buffer, 1 << 16);
        next if !defined $read && ($!{EINTR} || $!{EAGAIN});
        if ($read) {
            reply("O $job->{id} $stream $read\n" . $buffer);
        } else {
            delete $job_of_fd{$fd};
            close $handle;
            $job->{open} -= 1;
            maybe_closed($job);
        }
        # Keep memory bounded when a command floods output.
        flush_replies() if length($outbuf) > (1 << 20);
    }
    reap();
    flush_replies() if length $outbuf;
}
`;
