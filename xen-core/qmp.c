/*
 * A QMP client (QEMU Machine Protocol) over a unix socket.
 *
 * State machine: qmp_connect() opens the socket, reads the greeting
 * ({"QMP": ...}), sends qmp_capabilities and waits for its return; the
 * connection is then in command mode. Every message is one JSON object on
 * its own line. A command is sent with a numeric "id"; the reply carries
 * the same id ({"return": ...} or {"error": ...}). Events ({"event": ...})
 * may arrive at any time, in between replies: qmp_read() parses whatever
 * the socket holds, queues events for qmp_event() and replies for
 * qmp_reply(). Nothing here blocks except qmp_connect() and qmp_execute(),
 * which wait with a timeout; a poll() loop can instead watch qmp_fd(), call
 * qmp_read() when it is readable and collect replies and events.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "xen-core.h"

struct qmp_msg {
	json_t		*json;
	struct qmp_msg	*next;
};

struct qmp {
	int		 fd;
	char		*path;
	char		*buf;		/* unparsed input */
	size_t		 len, size;
	int		 next_id;
	int		 eof;
	struct qmp_msg	*events, **events_tail;
	struct qmp_msg	*replies;
};

static void
qmp_queue(struct qmp_msg **head, struct qmp_msg ***tail, json_t *j)
{
	struct qmp_msg	*m = xcalloc(1, sizeof *m);

	m->json = j;
	if (tail != NULL) {
		**tail = m;
		*tail = &m->next;
	} else {
		m->next = *head;
		*head = m;
	}
}

static void
qmp_msgs_free(struct qmp_msg *m)
{
	struct qmp_msg	*next;

	for (; m != NULL; m = next) {
		next = m->next;
		json_decref(m->json);
		free(m);
	}
}

/* Split the buffer into lines and queue the JSON objects they hold. */
static void
qmp_parse(struct qmp *q)
{
	char		*start = q->buf, *nl;
	json_t		*j;
	json_error_t	 jerr;

	while ((nl = memchr(start, '\n', q->buf + q->len - start)) != NULL) {
		j = json_loadb(start, nl - start, 0, &jerr);
		if (j == NULL || !json_is_object(j)) {
			log_debug("qmp %s: unparsable line: %s", q->path,
			    jerr.text);
			json_decref(j);
		} else if (json_object_get(j, "event") != NULL)
			qmp_queue(&q->events, &q->events_tail, j);
		else
			qmp_queue(&q->replies, NULL, j);
		start = nl + 1;
	}
	q->len -= start - q->buf;
	memmove(q->buf, start, q->len);
}

/*
 * Read what the socket holds without blocking. Returns 0, or -1 once the
 * peer has closed (messages read before that stay queued).
 */
int
qmp_read(struct qmp *q, char **cause)
{
	ssize_t	 n;

	if (q->eof) {
		*cause = xprintf("QMP %s: connection closed", q->path);
		return (-1);
	}
	for (;;) {
		if (q->size - q->len < 4096) {
			q->size = q->size == 0 ? 16384 : q->size * 2;
			q->buf = xreallocarray(q->buf, q->size, 1);
		}
		n = recv(q->fd, q->buf + q->len, q->size - q->len,
		    MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			q->eof = 1;
			qmp_parse(q);
			*cause = xprintf("QMP %s: %s", q->path, n == 0 ?
			    "connection closed" : strerror(errno));
			return (-1);
		}
		q->len += n;
	}
	qmp_parse(q);
	return (0);
}

/* Wait until fd is readable or timeout_ms passes; 1 readable, 0 timeout. */
static int
qmp_wait(struct qmp *q, int timeout_ms)
{
	struct pollfd	 pfd = { .fd = q->fd, .events = POLLIN };
	int		 n;

	do
		n = poll(&pfd, 1, timeout_ms);
	while (n == -1 && errno == EINTR);
	return (n > 0);
}

static int
qmp_write(struct qmp *q, const char *data, size_t len, char **cause)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < len) {
		n = send(q->fd, data + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			struct pollfd	 pfd = { .fd = q->fd,
					     .events = POLLOUT };

			poll(&pfd, 1, 1000);
			continue;
		}
		if (n == -1) {
			/* The peer is gone, as a read of EOF would say. */
			if (errno == EPIPE || errno == ECONNRESET)
				q->eof = 1;
			*cause = xprintf("QMP %s: %s", q->path,
			    strerror(errno));
			return (-1);
		}
		off += n;
	}
	return (0);
}

/* Whether an argument of that name holds a secret. */
static int
secret_key(const char *key)
{
	return (strstr(key, "password") != NULL ||
	    strstr(key, "passwd") != NULL || strstr(key, "secret") != NULL ||
	    strstr(key, "passphrase") != NULL);
}

/*
 * A copy of a command's arguments fit for the trace: every value of an
 * argument whose name says it is a secret (change-vnc-password's and
 * set_password's "password", a secret object's "data") is <redacted>.
 */
static json_t *
trace_args(json_t *v, int secret_obj)
{
	json_t		*o, *e;
	const char	*key, *type;
	size_t		 i;

	if (json_is_object(v)) {
		type = json_string_value(json_object_get(v, "qom-type"));
		secret_obj = type != NULL && strstr(type, "secret") != NULL;
		o = json_object();
		json_object_foreach(v, key, e) {
			if (secret_key(key) || (secret_obj &&
			    strcmp(key, "data") == 0))
				json_object_set_new(o, key,
				    json_string("<redacted>"));
			else
				json_object_set_new(o, key, trace_args(e,
				    secret_obj));
		}
		return (o);
	}
	if (json_is_array(v)) {
		o = json_array();
		json_array_foreach(v, i, e)
			json_array_append_new(o, trace_args(e, secret_obj));
		return (o);
	}
	return (json_incref(v));
}

/* Send a command; args (may be NULL) is stolen. Returns its id or -1. */
int
qmp_send(struct qmp *q, const char *cmd, struct json_t *args, char **cause)
{
	json_t	*msg;
	char	*text;
	int	 id = ++q->next_id, rc;

	msg = json_pack("{s:s, s:i}", "execute", cmd, "id", id);
	if (args != NULL)
		json_object_set_new(msg, "arguments", args);
	text = json_dumps(msg, JSON_COMPACT);
	if (text == NULL)
		fatalx("%s: json_dumps", __func__);
	if (log_get_level() >= LOG_TRACE) {
		json_t	*shown = trace_args(msg, 0);
		char	*line = json_dumps(shown, JSON_COMPACT);

		log_msg(LOG_TRACE, "qmp %s: -> %s", q->path, line != NULL ?
		    line : "?");
		free(line);
		json_decref(shown);
	}
	json_decref(msg);
	rc = qmp_write(q, text, strlen(text), cause);
	if (rc == 0)
		rc = qmp_write(q, "\n", 1, cause);
	free(text);
	return (rc == 0 ? id : -1);
}

/*
 * Take the reply to id if it has arrived: 1 with *ret (the "return" value,
 * caller decrefs; may be NULL if ret is NULL), 0 not yet, -1 an error reply
 * (its description in *cause).
 */
int
qmp_reply(struct qmp *q, int id, struct json_t **ret, char **cause)
{
	struct qmp_msg	**mp, *m;
	json_t		 *jid, *err, *r;
	const char	 *desc;

	for (mp = &q->replies; (m = *mp) != NULL; mp = &m->next) {
		jid = json_object_get(m->json, "id");
		if (!json_is_integer(jid) || json_integer_value(jid) != id)
			continue;
		*mp = m->next;
		if ((err = json_object_get(m->json, "error")) != NULL) {
			desc = json_string_value(json_object_get(err,
			    "desc"));
			*cause = xstrdup(desc != NULL ? desc : "QMP error");
			json_decref(m->json);
			free(m);
			return (-1);
		}
		if (ret != NULL) {
			r = json_object_get(m->json, "return");
			*ret = json_incref(r != NULL ? r : json_object());
		}
		json_decref(m->json);
		free(m);
		return (1);
	}
	/* Replies without a matching id (none expected): drop them. */
	return (0);
}

/* Wait up to timeout_ms for the reply to id. */
int
qmp_wait_reply(struct qmp *q, int id, struct json_t **ret, int timeout_ms,
    char **cause)
{
	uint64_t	 end = mono_ms() + timeout_ms, now;
	int		 rc;

	for (;;) {
		if ((rc = qmp_reply(q, id, ret, cause)) != 0)
			return (rc == 1 ? 0 : -1);
		if (q->eof) {
			*cause = xprintf("QMP %s: connection closed",
			    q->path);
			return (-1);
		}
		now = mono_ms();
		if (now >= end) {
			*cause = xprintf("QMP %s: no reply in %d ms",
			    q->path, timeout_ms);
			return (-1);
		}
		qmp_wait(q, (int)(end - now));
		if (qmp_read(q, cause) != 0) {
			if (qmp_reply(q, id, ret, cause) == 1)
				return (0);
			return (-1);
		}
	}
}

/* Run one command and wait for its reply. *ret may be NULL. */
int
qmp_execute(struct qmp *q, const char *cmd, struct json_t *args,
    struct json_t **ret, int timeout_ms, char **cause)
{
	int	 id;

	if ((id = qmp_send(q, cmd, args, cause)) == -1)
		return (-1);
	return (qmp_wait_reply(q, id, ret, timeout_ms, cause));
}

/* The next queued event (caller decrefs), or NULL. */
struct json_t *
qmp_event(struct qmp *q)
{
	struct qmp_msg	*m = q->events;
	json_t		*j;

	if (m == NULL)
		return (NULL);
	q->events = m->next;
	if (q->events == NULL)
		q->events_tail = &q->events;
	j = m->json;
	free(m);
	return (j);
}

int
qmp_fd(const struct qmp *q)
{
	return (q->fd);
}

/* Whether QEMU has closed the connection. */
int
qmp_eof(const struct qmp *q)
{
	return (q->eof);
}

/*
 * Connect to a QMP socket and enter command mode, waiting at most
 * timeout_ms in all. A socket that accepts but never greets (another client
 * holds the monitor) times out.
 */
struct qmp *
qmp_connect(const char *path, int timeout_ms, char **cause)
{
	struct sockaddr_un	 sun;
	struct qmp		*q = NULL;
	json_t			*j;
	struct qmp_msg		*m;
	uint64_t		 end = mono_ms() + timeout_ms, now;
	int			 fd = -1;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		*cause = xprintf("QMP socket path too long: %s", path);
		return (NULL);
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xprintf("socket: %s", strerror(errno));
		return (NULL);
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		*cause = xprintf("QMP %s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	q = xcalloc(1, sizeof *q);
	q->fd = fd;
	q->path = xstrdup(path);
	q->events_tail = &q->events;

	/* The greeting is the first message; it has no id. */
	while (q->replies == NULL) {
		now = mono_ms();
		if (now >= end || !qmp_wait(q, (int)(end - now))) {
			*cause = xprintf("QMP %s: no greeting (monitor busy?)",
			    path);
			goto fail;
		}
		if (qmp_read(q, cause) != 0 && q->replies == NULL)
			goto fail;
	}
	m = q->replies;
	if (json_object_get(m->json, "QMP") == NULL) {
		*cause = xprintf("QMP %s: not a QMP greeting", path);
		goto fail;
	}
	q->replies = m->next;
	json_decref(m->json);
	free(m);
	now = mono_ms();
	if (qmp_execute(q, "qmp_capabilities", NULL, &j,
	    now < end ? (int)(end - now) : 1, cause) != 0)
		goto fail;
	json_decref(j);
	return (q);
fail:
	qmp_close(q);
	return (NULL);
}

void
qmp_close(struct qmp *q)
{
	if (q == NULL)
		return;
	if (q->fd != -1)
		close(q->fd);
	qmp_msgs_free(q->events);
	qmp_msgs_free(q->replies);
	free(q->buf);
	free(q->path);
	free(q);
}

/* Connect, run one command, close. */
int
qmp_oneshot(const char *path, const char *cmd, struct json_t *args,
    struct json_t **ret, int timeout_ms, char **cause)
{
	struct qmp	*q;
	int		 rc;

	if ((q = qmp_connect(path, timeout_ms, cause)) == NULL) {
		json_decref(args);
		return (-1);
	}
	rc = qmp_execute(q, cmd, args, ret, timeout_ms, cause);
	qmp_close(q);
	return (rc);
}
