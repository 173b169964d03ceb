/*
 * serve_conn - the deadline for receiving a request.
 *
 * libmicrohttpd's own timeout counts idle time only, so a client that
 * sends one header line every few seconds ("slowloris") keeps its
 * connection for ever. Here every connection gets a deadline when it opens
 * and again after each answer: the whole next request, headers and body,
 * must have arrived within SERVE_REQUEST_DEADLINE seconds. A watchman
 * thread shuts down (shutdown(2), not close: the descriptor stays
 * libmicrohttpd's) every connection past its deadline; libmicrohttpd then
 * sees the end of the stream and closes it as usual. While a request is
 * being answered there is no deadline: a big download may take its time.
 *
 * The table is guarded by one mutex; a connection is removed from it in
 * the close notification, which libmicrohttpd gives before it closes the
 * socket, so the watchman never touches a descriptor that was reused.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "serve.h"

typedef struct conn_entry {
    struct conn_entry *prev, *next;
    struct MHD_Connection *conn;
    int fd;
    long long deadline_ms; /* 0: none (a request is being answered) */
} conn_entry;

struct serve_conns {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    conn_entry *head;
    int stop;
    pthread_t watchman;
    unsigned long cut; /* connections shut down for missing the deadline */
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *watch(void *arg)
{
    serve_conns *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->stop) {
        long long now = mono_ms();
        for (conn_entry *e = c->head; e; e = e->next)
            if (e->deadline_ms && now >= e->deadline_ms && e->fd >= 0) {
                shutdown(e->fd, SHUT_RDWR);
                e->deadline_ms = 0;
                c->cut++;
            }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&c->cv, &c->mu, &until);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int serve_conns_new(serve_app *app)
{
    serve_conns *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->watchman, NULL, watch, c) != 0) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        free(c);
        return -1;
    }
    app->conns = c;
    return 0;
}

void serve_conns_free(serve_app *app)
{
    serve_conns *c = app->conns;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->watchman, NULL);
    while (c->head) {
        conn_entry *e = c->head;
        c->head = e->next;
        free(e);
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
    app->conns = NULL;
}

void serve_conn_notify(void *cls, struct MHD_Connection *conn,
                       void **socket_context, int code)
{
    serve_app *app = cls;
    serve_conns *c = app->conns;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_entry *e = calloc(1, sizeof *e);
        if (!e)
            return;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        e->conn = conn;
        e->fd = ci ? ci->connect_fd : -1;
        e->deadline_ms = mono_ms() + SERVE_REQUEST_DEADLINE * 1000LL;
        pthread_mutex_lock(&c->mu);
        e->next = c->head;
        if (c->head)
            c->head->prev = e;
        c->head = e;
        pthread_mutex_unlock(&c->mu);
        *socket_context = e;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        conn_entry *e = *socket_context;
        if (!e)
            return;
        pthread_mutex_lock(&c->mu);
        if (e->prev)
            e->prev->next = e->next;
        else
            c->head = e->next;
        if (e->next)
            e->next->prev = e->prev;
        pthread_mutex_unlock(&c->mu);
        free(e);
        *socket_context = NULL;
    }
}

static void set_deadline(serve_app *app, struct MHD_Connection *conn,
                         long long ms)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!ci || !ci->socket_context)
        return;
    conn_entry *e = ci->socket_context;
    pthread_mutex_lock(&app->conns->mu);
    e->deadline_ms = ms;
    pthread_mutex_unlock(&app->conns->mu);
}

void serve_conn_received(serve_app *app, struct MHD_Connection *conn)
{
    set_deadline(app, conn, 0);
}

void serve_conn_answered(serve_app *app, struct MHD_Connection *conn)
{
    set_deadline(app, conn, mono_ms() + SERVE_REQUEST_DEADLINE * 1000LL);
}
