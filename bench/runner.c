/*
 * runner - run one command and measure it, for bench/bench.py.
 *
 *   runner TIMEOUT_S OUT ERR COMMAND [ARG...]
 *
 * Runs COMMAND with stdout to OUT and stderr to ERR, and prints
 *   <wall s> <peak RSS KiB> <exit status> <timed out 0|1> <CPU s>
 * (CPU = user + system time of the command).
 * The wall time runs from just before fork to the return of wait4; the
 * peak RSS is the child's ru_maxrss. Measuring from this small process
 * (rather than from Python) matters for the RSS: Linux keeps a process's
 * high-water mark across execve, so a child forked from a 20 MB
 * interpreter would never report less than 20 MB. After TIMEOUT_S seconds
 * the command is killed (SIGKILL) and reported as timed out.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static pid_t child;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
    if (child > 0)
        kill(child, SIGKILL);
}

static int redirect(const char *path, int fd)
{
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f < 0 || dup2(f, fd) < 0)
        return -1;
    close(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: runner TIMEOUT_S OUT ERR COMMAND [ARG...]\n");
        return 2;
    }
    unsigned timeout = (unsigned)strtoul(argv[1], NULL, 10);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    child = fork();
    if (child < 0) {
        perror("runner: fork");
        return 2;
    }
    if (child == 0) {
        if (redirect(argv[2], 1) || redirect(argv[3], 2))
            _exit(126);
        execvp(argv[4], argv + 4);
        _exit(127);
    }
    if (timeout)
        alarm(timeout);
    int status;
    struct rusage ru;
    while (wait4(child, &status, 0, &ru) < 0)
        ; /* EINTR from the alarm: the child has been killed, wait again */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    alarm(0);
    long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
                   (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    long long cpu_us = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
                           1000000LL +
                       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    printf("%lld.%09lld %ld %d %d %lld.%06lld\n", ns / 1000000000LL,
           ns % 1000000000LL, ru.ru_maxrss, code, (int)timed_out,
           cpu_us / 1000000LL, cpu_us % 1000000LL);
    return 0;
}
