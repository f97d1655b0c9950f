/*
 * Small helpers every part of xendeck uses: allocation that never returns
 * NULL, string vectors, name validation, bounded file reads, atomic file
 * writes with a backup, and the one escaping of text for a terminal.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
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

/* A new NULL-terminated vector of copies of the arguments (up to NULL). */
char **
strv_new(const char *first, ...)
{
	va_list		 ap;
	char		**v = NULL;
	const char	*s;

	strv_push(&v, first);
	va_start(ap, first);
	while ((s = va_arg(ap, const char *)) != NULL)
		strv_push(&v, s);
	va_end(ap);
	return (v);
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

/*
 * Domain, volume and bridge names: ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$. Not
 * a leading '.' (a hidden file: listers skip it) nor '-' (taken for an
 * option by every command it is passed to).
 */
int
valid_name(const char *s)
{
	size_t	 n;

	if (s == NULL)
		return (0);
	n = strlen(s);
	if (n == 0 || n > NAME_MAX_LEN)
		return (0);
	if (*s == '.' || *s == '-')
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

/* xendeck's runtime files: ${XENDECK_RUNDIR:-/run/xendeck}. */
const char *
xendeck_rundir(void)
{
	const char	*dir = getenv("XENDECK_RUNDIR");

	return (dir != NULL && *dir != '\0' ? dir : "/run/xendeck");
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

/* What a file that is not a regular one is, for an error message. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return ("a directory");
	if (S_ISFIFO(mode))
		return ("a FIFO");
	if (S_ISCHR(mode))
		return ("a character device");
	if (S_ISBLK(mode))
		return ("a block device");
	if (S_ISSOCK(mode))
		return ("a socket");
	return ("not a regular file");
}

/*
 * Open a regular file for reading (without blocking on a FIFO, which is
 * refused like a device or a directory): the fd, its stat in *st, or -1.
 */
static int
open_regular(const char *path, struct stat *st, char **cause)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1 ||
	    fstat(fd, st) != 0) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if (!S_ISREG(st->st_mode)) {
		*cause = xprintf("%s: %s, not a file", path,
		    file_kind(st->st_mode));
		close(fd);
		return (-1);
	}
	return (fd);
}

/*
 * Read a whole regular file of at most max bytes (a config, a theme, a
 * password file): a FIFO, a device or a directory is refused before it is
 * read (without blocking on a FIFO), and so is a file over max, however
 * it grows while being read. what names the kind of file in the error
 * ("an xl.cfg"). Otherwise as file_read().
 */
int
file_read_limit(const char *path, size_t max, const char *what, char **buf,
    size_t *len, char **cause)
{
	struct stat	 st;
	char		*data = NULL;
	size_t		 used = 0, size;
	ssize_t		 n;
	int		 fd = -1, rc = -1;

	if ((fd = open_regular(path, &st, cause)) == -1)
		goto out;
	if ((uint64_t)st.st_size > max)
		goto too_big;
	size = (size_t)st.st_size + 1;
	data = xmalloc(size + 1);
	for (;;) {
		if (used == size) {
			if (size > max)
				goto too_big;
			size = size * 2 > max + 1 ? max + 1 : size * 2;
			data = xreallocarray(data, size + 1, 1);
		}
		n = read(fd, data + used, size - used);
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
	if (used > max)
		goto too_big;
	data[used] = '\0';
	*buf = data;
	data = NULL;
	if (len != NULL)
		*len = used;
	rc = 0;
	goto out;
too_big:
	if (max >= 1024 * 1024)
		*cause = xprintf("%s: too big for %s (at most %zu MiB)", path,
		    what, max / (1024 * 1024));
	else
		*cause = xprintf("%s: too big for %s (at most %zu KiB)", path,
		    what, max / 1024);
out:
	free(data);
	if (fd != -1)
		close(fd);
	return (rc);
}

/*
 * The last max bytes of a file (a log), from the start of a line when the
 * file is longer; NUL-terminated. Only those bytes are read, whatever the
 * file's size: a log is never read whole.
 */
int
file_read_tail(const char *path, size_t max, char **buf, size_t *len,
    char **cause)
{
	struct stat	 st;
	char		*data = NULL, *nl;
	size_t		 used = 0;
	off_t		 from = 0;
	ssize_t		 n;
	int		 fd = -1, rc = -1;

	if ((fd = open_regular(path, &st, cause)) == -1)
		goto out;
	if ((uint64_t)st.st_size > max)
		from = st.st_size - (off_t)max;
	data = xmalloc(max + 1);
	while (used < max) {
		n = pread(fd, data + used, max - used, from + (off_t)used);
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
	/* Drop a partial first line, unless it is the only one. */
	if (from > 0 && (nl = memchr(data, '\n', used)) != NULL &&
	    (size_t)(nl + 1 - data) < used) {
		used -= (size_t)(nl + 1 - data);
		memmove(data, nl + 1, used + 1);
	}
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
 * The start time of a process (field 22 of /proc/PID/stat), 0 if it is gone
 * or a zombie (an orphan's reaper may take its time).
 */
unsigned long long
proc_start(pid_t pid)
{
	char			 path[64], *buf = NULL, *cause = NULL, *p;
	unsigned long long	 start = 0;
	int			 field;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (file_read(path, &buf, NULL, &cause) != 0) {
		free(cause);
		return (0);
	}
	/* After the ")" closing the command name: field 3 on. */
	if ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] != 'Z' &&
	    p[2] != 'X') {
		for (field = 2; *p != '\0' && field < 22; p++) {
			if (*p == ' ')
				field++;
		}
		if (field == 22)
			start = strtoull(p, NULL, 10);
	}
	free(buf);
	return (start);
}

/*
 * Open (creating) a file only its owner may read: logs, which hold a
 * guest's whole console session. One that exists with wider permissions
 * (from an older xendeck) is narrowed to 0600. Symlinks are not followed.
 */
int
file_open_private(const char *path, int flags)
{
	struct stat	 st;
	int		 fd;

	if ((fd = open(path, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1)
		return (-1);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && (st.st_mode & 077) != 0)
		(void)fchmod(fd, st.st_mode & 0700);
	return (fd);
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

/* Whether the locale's character set is UTF-8. */
static int
locale_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return (cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0));
}

/* Length and code point of the UTF-8 sequence at s, or 0 if invalid. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c, min;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/*
 * Characters that change how a terminal shows what follows, though they
 * are not C0 or C1: bidirectional overrides and isolates, line and
 * paragraph separators.
 */
static int
format_control(uint32_t cp)
{
	return (cp == 0x200e || cp == 0x200f || (cp >= 0x202a &&
	    cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x061c);
}

/*
 * s made safe to print on a terminal: every C0 control (\n and \t as
 * such, the others \xHH), DEL, every C1 control (as a raw byte or
 * UTF-8-encoded, \u0080-\u009f), bidirectional and line-separator
 * format characters, and any byte that is not valid UTF-8 are written as
 * visible escapes. Valid UTF-8 otherwise passes in a UTF-8 locale; in any
 * other locale every byte above 0x7f is escaped (there, bytes 0x80-0x9f
 * are C1 controls). The one function for every value xendeck prints to a
 * terminal from a config, a guest, a VNC server or a log. Caller frees.
 */
char *
term_escape(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	char			*out, *q;
	uint32_t		 cp;
	size_t			 n;
	int			 utf8 = locale_utf8();

	out = q = xmalloc(strlen(str) * 4 + 1);
	while (*s != '\0') {
		if (*s == '\n') {
			q += sprintf(q, "\\n");
			s++;
		} else if (*s == '\t') {
			q += sprintf(q, "\\t");
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			q += sprintf(q, "\\x%02x", *s);
			s++;
		} else if (*s < 0x80)
			*q++ = (char)*s++;
		else if (!utf8 || (n = utf8_decode(s, &cp)) == 0) {
			q += sprintf(q, "\\x%02x", *s);
			s++;
		} else if ((cp >= 0x80 && cp <= 0x9f) || format_control(cp)) {
			q += sprintf(q, "\\u%04x", (unsigned int)cp);
			s += n;
		} else {
			memcpy(q, s, n);
			q += n;
			s += n;
		}
	}
	*q = '\0';
	return (out);
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
