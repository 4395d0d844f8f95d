# vmsup's spawner: forks and execs each QEMU for the daemon, reaps it, and reports its exit status, so that the
# daemon's JVM holds no thread per child (the JDK keeps a "process reaper" thread for every child it starts).
# Perl because perl-base is part of every Debian system; one process, one thread, for all the VMs of a daemon.
#
# Requests on stdin, fields ending in NUL: spawn ID CWD LOG NENV ENV... NARGS ARGS...
# Replies on stdout, one per line: "pid ID PID" | "fail ID MESSAGE" | "exit PID CODE" (CODE: 128+signal when killed)
# The child: a session of its own (setsid), the working directory CWD, stdin /dev/null, stdout and stderr appended to
# LOG, the daemon's environment plus ENV. The spawner exits when stdin closes (the daemon is gone); QEMUs stay.
use strict;
use warnings;
use POSIX ();

$| = 1;
$SIG{PIPE} = 'IGNORE';
$SIG{CHLD} = sub { };    # wakes select(); the loop reaps
my $in = '';

sub take {
  my ($pos) = @_;
  my $i = index($in, "\0", $$pos);
  return undef if $i < 0;
  my $f = substr($in, $$pos, $i - $$pos);
  $$pos = $i + 1;
  return $f;
}

sub take_n {
  my ($pos, $n) = @_;
  my @out;
  for (1 .. $n) {
    my $f = take($pos);
    return undef unless defined $f;
    push @out, $f;
  }
  return \@out;
}

sub parse_one {
  my $pos = 0;
  my $head = take_n(\$pos, 5) or return undef;
  my ($verb, $id, $cwd, $log, $nenv) = @$head;
  die "vmsup spawner: unknown request '$verb'\n" unless $verb eq 'spawn';
  my $env = take_n(\$pos, $nenv) or return undef;
  my $nargs = take(\$pos);
  return undef unless defined $nargs;
  my $args = take_n(\$pos, $nargs) or return undef;
  substr($in, 0, $pos) = '';
  return [$id, $cwd, $log, $env, $args];
}

sub spawn {
  my ($id, $cwd, $log, $env, $args) = @_;
  my $out;
  if (!open($out, '>>', $log)) {
    print "fail $id cannot open $log: $!\n";
    return;
  }
  my $pid = fork();
  if (!defined $pid) {
    print "fail $id cannot fork: $!\n";
    close $out;
    return;
  }
  if ($pid == 0) {
    $SIG{PIPE} = 'DEFAULT';
    $SIG{CHLD} = 'DEFAULT';
    POSIX::setsid();
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>&', $out);
    open(STDERR, '>&', $out);
    if (!chdir $cwd) {
      print STDERR "vmsup: cannot enter $cwd: $!\n";
      POSIX::_exit(127);
    }
    for my $kv (@$env) {
      my ($k, $v) = split /=/, $kv, 2;
      $ENV{$k} = $v;
    }
    { no warnings 'exec'; exec { $args->[0] } @$args; }
    print STDERR "vmsup: cannot execute $args->[0]: $!\n";
    POSIX::_exit(127);
  }
  close $out;
  print "pid $id $pid\n";
}

sub reap {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $s = $?;
    my $code = ($s & 127) ? 128 + ($s & 127) : ($s >> 8);
    print "exit $pid $code\n";
  }
}

my $rin = '';
vec($rin, fileno(STDIN), 1) = 1;
while (1) {
  reap();
  # the timeout only covers a SIGCHLD that lands between reap() and select(): an exit is reported within 1 s then
  my $n = select(my $rout = $rin, undef, undef, 1.0);
  next unless $n > 0;
  my $r = sysread(STDIN, $in, 65536, length $in);
  next if !defined $r;
  exit 0 if $r == 0;
  while (my $req = parse_one()) {
    spawn(@$req);
  }
}
