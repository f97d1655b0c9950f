/*
 * Small helpers every part of xendeck uses: allocation that never returns
 * NULL, string vectors, name validation, atomic file writes with a backup.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xen-core.h"

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatal("malloc %zu", size);
	return (p);
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatal("calloc %zu x %zu", n, size);
	return (p);
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if (size != 0 && n > SIZE_MAX / size)
		fatalx("xreallocarray: %zu x %zu overflows", n, size);
	if ((p = realloc(old, n * size)) == NULL)
		fatal("realloc %zu x %zu", n, size);
	return (p);
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("strdup");
	return (p);
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		fatal("strndup");
	return (p);
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		fatal("vasprintf");
	return (n);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

/* xasprintf returning the string, for building causes in one line. */
char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	return (s);
}

void
strv_free(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

size_t
strv_len(char *const *v)
{
	size_t	 n = 0;

	if (v != NULL)
		while (v[n] != NULL)
			n++;
	return (n);
}

char **
strv_dup(char *const *v)
{
	char	**copy;
	size_t	  i, n = strv_len(v);

	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(v[i]);
	return (copy);
}

/* Append a copy of s to the NULL-terminated vector *v (which may be NULL). */
void
strv_push(char ***v, const char *s)
{
	size_t	 n = strv_len(*v);

	*v = xreallocarray(*v, n + 2, sizeof **v);
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

/* The strings of v joined by sep, or NULL if v is empty (caller frees). */
char *
strv_join(char *const *v, const char *sep)
{
	char	*s = NULL, *next;
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++) {
		xasprintf(&next, "%s%s%s", s != NULL ? s : "",
		    s != NULL ? sep : "", v[i]);
		free(s);
		s = next;
	}
	return (s);
}

/* Domain, volume and bridge names: ^[A-Za-z0-9_.-]{1,64}$, not "." or "..". */
int
valid_name(const char *s)
{
	size_t	 n;

	if (s == NULL)
		return (0);
	n = strlen(s);
	if (n == 0 || n > NAME_MAX_LEN)
		return (0);
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return (0);
	return (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n);
}

/* Whether s is one or more decimal digits and nothing else. */
int
all_digits(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return (0);
	}
	return (1);
}

/* Xen's configuration directory: ${XENDECK_XEN_DIR:-/etc/xen}. */
const char *
xen_config_dir(void)
{
	const char	*dir = getenv("XENDECK_XEN_DIR");

	return (dir != NULL && *dir != '\0' ? dir : "/etc/xen");
}

/* xendeck's state: ${XENDECK_STATEDIR:-/var/lib/xendeck}. */
const char *
xendeck_statedir(void)
{
	const char	*dir = getenv("XENDECK_STATEDIR");

	return (dir != NULL && *dir != '\0' ? dir : "/var/lib/xendeck");
}

/* Not domain configs: what editors and package managers leave behind. */
static const char *const xen_config_skip_suffix[] = {
	"~", ".bak", ".swp", ".xendeck-bak", ".rpmnew", ".rpmsave",
	".rpmorig", ".dpkg-old", ".dpkg-new", ".dpkg-dist", ".dpkg-tmp",
	".ucf-old", ".ucf-new", ".ucf-dist", NULL
};

/* Files in /etc/xen that are not domain configs. */
static const char *const xen_config_not_domains[] = {
	"xl.conf", "cpupool", "README", "README.incompatibilities", NULL
};

/*
 * Whether a file name in /etc/xen (or its auto/) can be a domain's config:
 * not a dotfile, not xl's own files, not an editor's or a package
 * manager's leftover. Whether it is a regular file is the caller's to see.
 */
int
xen_config_name_ok(const char *file)
{
	size_t	 n = strlen(file), s, i;

	if (*file == '.' || n == 0)
		return (0);
	for (i = 0; xen_config_not_domains[i] != NULL; i++) {
		if (strcmp(file, xen_config_not_domains[i]) == 0)
			return (0);
	}
	for (i = 0; xen_config_skip_suffix[i] != NULL; i++) {
		s = strlen(xen_config_skip_suffix[i]);
		if (n > s && strcmp(file + n - s, xen_config_skip_suffix[i]) == 0)
			return (0);
	}
	return (1);
}

/* mkdir -p. */
int
mkdir_p(const char *path, mode_t mode, char **cause)
{
	char	*copy, *p;
	int	 rc = -1;

	copy = xstrdup(path);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char	 saved = *p;

			*p = '\0';
			if (mkdir(copy, mode) != 0 && errno != EEXIST) {
				*cause = xprintf("mkdir %s: %s", copy,
				    strerror(errno));
				goto out;
			}
			*p = saved;
		}
		if (*p == '\0')
			break;
	}
	rc = 0;
out:
	free(copy);
	return (rc);
}

/* Read a whole file; the buffer is NUL-terminated (not counted in *len). */
int
file_read(const char *path, char **buf, size_t *len, char **cause)
{
	char	*data = NULL;
	size_t	 used = 0, size = 0;
	ssize_t	 n;
	int	 fd = -1, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		if (size - used < 4096) {
			size = size == 0 ? 8192 : size * 2;
			data = xreallocarray(data, size, 1);
		}
		n = read(fd, data + used, size - used - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xprintf("%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		used += n;
	}
	data[used] = '\0';
	*buf = data;
	data = NULL;
	if (len != NULL)
		*len = used;
	rc = 0;
out:
	free(data);
	if (fd != -1)
		close(fd);
	return (rc);
}

/*
 * Write a file atomically: a temporary beside it, fsync, rename. With
 * backup, an existing file is first kept as PATH.bak (a hard link, so the
 * old content survives whatever happens to the new one).
 */
int
file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
    int backup, char **cause)
{
	char		*tmp = NULL, *bak = NULL;
	const char	*p = data;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd = -1, rc = -1;
	struct stat	 st;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1) {
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		n = write(fd, p + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xprintf("%s: %s", tmp, strerror(errno));
			goto out;
		}
		off += n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		*cause = xprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (backup && stat(path, &st) == 0) {
		xasprintf(&bak, "%s.bak", path);
		(void)unlink(bak);
		if (link(path, bak) != 0) {
			*cause = xprintf("backup %s: %s", bak, strerror(errno));
			goto out;
		}
	}
	if (rename(tmp, path) != 0) {
		*cause = xprintf("rename %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc != 0 && tmp != NULL)
		(void)unlink(tmp);
	free(tmp);
	free(bak);
	return (rc);
}

/* Quote s for a POSIX shell (for --dry-run output and exported scripts). */
char *
shell_quote(const char *s)
{
	const char	*p;
	char		*out, *q;
	size_t		 n = 3;

	if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.,:/=+-@%") == strlen(s))
		return (xstrdup(s));
	for (p = s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	out = q = xmalloc(n);
	*q++ = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else
			*q++ = *p;
	}
	*q++ = '\'';
	*q = '\0';
	return (out);
}

uint64_t
mono_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

uint64_t
mono_ms(void)
{
	return (mono_us() / 1000);
}

int
set_nonblock(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return (-1);
	return (fcntl(fd, F_SETFL, fl | O_NONBLOCK));
}

int
set_cloexec(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1)
		return (-1);
	return (fcntl(fd, F_SETFD, fl | FD_CLOEXEC));
}

/* Append n bytes of s; the string stays NUL-terminated. */
void
strbuf_add(struct strbuf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->size) {
		b->size = (b->len + n + 1) * 2;
		b->s = xreallocarray(b->s, b->size, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	strbuf_add(b, s, (size_t)n);
	free(s);
}

/*
 * The next line of [*p, end) (without its newline) into *line and *len,
 * moving *p past it; 0 when there is none left.
 */
int
next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char	*nl;

	if (*p >= end)
		return (0);
	if ((nl = memchr(*p, '\n', end - *p)) == NULL)
		nl = end;
	*line = *p;
	*len = (size_t)(nl - *p);
	*p = nl < end ? nl + 1 : end;
	return (1);
}
