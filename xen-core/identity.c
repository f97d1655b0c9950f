/*
 * identity.c: a clone's own identity, given to it before its first boot,
 * without booting it and without mounting it on the host. The clone's root
 * filesystem (ext4 on the whole volume, as xendeck's templates make it) is
 * opened with libext2fs read-write and these files are written in place:
 * /etc/hostname, the 127.0.1.1 line of /etc/hosts, /etc/machine-id, the SSH
 * host keys (made by ssh-keygen on the host in a private directory, then
 * copied in), /var/lib/systemd/random-seed, root's hash in /etc/shadow or
 * root's authorized_keys, and /etc/network/interfaces. The filesystem also
 * gets a UUID of its own when its checksums do not depend on it
 * (metadata_csum_seed), so dom0 never sees two volumes with one UUID.
 *
 * A qcow2 volume is reached through rawview.c (a FUSE export of
 * qemu-storage-daemon); an LV or a raw image is opened directly.
 *
 * Secrets (the password, the generated password, the private host keys)
 * never reach the log: their files are 0600 in 0700 directories, the
 * programs that see them run SPAWN_QUIET, and the temporary copies are
 * overwritten before they are removed.
 */
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include "xen-core.h"

/*
 * The host key types: the template's sshd loads these two
 * (sshd_config.d/xendeck-host-keys.conf); RSA-3072 would cost a second.
 */
static const char *const id_key_types[] = { "ed25519", "ecdsa" };

void
identity_init(struct identity *id)
{
	memset(id, 0, sizeof *id);
}

void
identity_free(struct identity *id)
{
	if (id == NULL)
		return;
	free(id->hostname);
	free(id->password_file);
	free(id->generate_password);
	free(id->ssh_key_file);
	free(id->ip);
	free(id->gateway);
	memset(id, 0, sizeof *id);
}

void
identity_result_free(struct identity_result *r)
{
	if (r == NULL)
		return;
	free(r->machine_id);
	strv_free(r->fingerprints);
	memset(r, 0, sizeof *r);
}

/* n random bytes (getrandom, blocking until the pool is ready). */
static int
id_random(void *buf, size_t n, char **cause)
{
	size_t	 off = 0;
	ssize_t	 r;

	while (off < n) {
		r = getrandom((char *)buf + off, n - off, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			*cause = xprintf("getrandom: %s", strerror(errno));
			return (-1);
		}
		off += (size_t)r;
	}
	return (0);
}

/* A locally administered Xen MAC, 00:16:3e:xx:xx:xx, into char[18]. */
int
identity_mac(char *buf, char **cause)
{
	unsigned char	 b[3];

	if (id_random(b, sizeof b, cause) != 0)
		return (-1);
	snprintf(buf, 18, "00:16:3e:%02x:%02x:%02x", b[0] & 0x7f, b[1], b[2]);
	return (0);
}

/* A password of 20 characters from an unambiguous alphabet. */
int
identity_password(char *buf, size_t len, char **cause)
{
	static const char	 alpha[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char		 r[64];
	size_t			 i, n = 20, k = 0;

	if (len < n + 1)
		fatalx("identity_password: buffer too small");
	while (k < n) {
		if (id_random(r, sizeof r, cause) != 0)
			return (-1);
		/* Rejection sampling: no bias towards the first letters. */
		for (i = 0; i < sizeof r && k < n; i++) {
			if (r[i] < 256 - 256 % (sizeof alpha - 1))
				buf[k++] = alpha[r[i] % (sizeof alpha - 1)];
		}
	}
	buf[n] = '\0';
	explicit_bzero(r, sizeof r);
	return (0);
}

/*
 * crypt(3) of a password: yescrypt (Debian 12's default), else SHA-512,
 * with a salt made from getrandom. The hash is the caller's.
 */
int
identity_hash_password(const char *pw, char **hash, char **cause)
{
	static const char *const prefixes[] = { "$y$", "$6$" };
	struct crypt_data	*cd = NULL;
	char			 salt[CRYPT_GENSALT_OUTPUT_SIZE];
	unsigned char		 rb[32];
	const char		*h;
	size_t			 i;
	int			 rc = -1;

	*hash = NULL;
	cd = xcalloc(1, sizeof *cd);
	for (i = 0; i < nitems(prefixes); i++) {
		if (id_random(rb, sizeof rb, cause) != 0)
			goto out;
		if (crypt_gensalt_rn(prefixes[i], 0, (const char *)rb,
		    sizeof rb, salt, sizeof salt) == NULL)
			continue;
		h = crypt_r(pw, salt, cd);
		if (h == NULL || *h == '*')
			continue;
		*hash = xstrdup(h);
		rc = 0;
		goto out;
	}
	*cause = xstrdup("crypt: neither yescrypt nor SHA-512 is available");
out:
	explicit_bzero(rb, sizeof rb);
	if (cd != NULL) {
		explicit_bzero(cd, sizeof *cd);
		free(cd);
	}
	return (rc);
}

/* ---- ext4 through libext2fs ------------------------------------------ */

/*
 * The inode of PATH (absolute) without following its last component;
 * 0 and *cause when it does not exist.
 */
static ext2_ino_t
id_lookup(ext2_filsys fs, const char *path, char **cause)
{
	ext2_ino_t	 ino;
	errcode_t	 err;

	err = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, &ino);
	if (err != 0) {
		if (cause != NULL)
			*cause = xprintf("%s: %s", path, error_message(err));
		return (0);
	}
	return (ino);
}

/* Read the regular file PATH (at most 1 MiB) into *buf (NUL-terminated). */
static int
id_read(ext2_filsys fs, const char *path, char **buf, size_t *len,
    char **cause)
{
	struct ext2_inode	 inode;
	ext2_file_t		 file = NULL;
	ext2_ino_t		 ino;
	errcode_t		 err;
	unsigned int		 got;
	uint64_t		 size;
	char			*data = NULL;
	size_t			 off = 0;
	int			 rc = -1;

	if ((ino = id_lookup(fs, path, cause)) == 0)
		return (-1);
	if ((err = ext2fs_read_inode(fs, ino, &inode)) != 0) {
		*cause = xprintf("%s: %s", path, error_message(err));
		return (-1);
	}
	if (!LINUX_S_ISREG(inode.i_mode)) {
		*cause = xprintf("%s: not a regular file", path);
		return (-1);
	}
	size = EXT2_I_SIZE(&inode);
	if (size > 1024 * 1024) {
		*cause = xprintf("%s: too large", path);
		return (-1);
	}
	if ((err = ext2fs_file_open(fs, ino, 0, &file)) != 0) {
		*cause = xprintf("%s: %s", path, error_message(err));
		return (-1);
	}
	data = xmalloc(size + 1);
	while (off < size) {
		err = ext2fs_file_read(file, data + off, size - off, &got);
		if (err != 0 || got == 0) {
			*cause = xprintf("%s: %s", path, err != 0 ?
			    error_message(err) : "short read");
			goto out;
		}
		off += got;
	}
	data[size] = '\0';
	*buf = data;
	*len = size;
	data = NULL;
	rc = 0;
out:
	ext2fs_file_close(file);
	free(data);
	return (rc);
}

/* Split PATH into its parent's inode and its last component. */
static ext2_ino_t
id_parent(ext2_filsys fs, const char *path, const char **base, char **cause)
{
	char		*dir;
	const char	*slash;
	ext2_ino_t	 ino;

	if ((slash = strrchr(path, '/')) == NULL || slash[1] == '\0')
		fatalx("id_parent: bad path %s", path);
	dir = slash == path ? xstrdup("/") : xstrndup(path, slash - path);
	ino = id_lookup(fs, dir, cause);
	free(dir);
	*base = slash + 1;
	return (ino);
}

/* Link NAME to INO in DIR, growing the directory when it is full. */
static errcode_t
id_link(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino,
    int type)
{
	errcode_t	 err;

	err = ext2fs_link(fs, dir, name, ino, type);
	if (err == EXT2_ET_DIR_NO_SPACE) {
		if ((err = ext2fs_expand_dir(fs, dir)) != 0)
			return (err);
		err = ext2fs_link(fs, dir, name, ino, type);
	}
	return (err);
}

/*
 * Write DATA into the file PATH, replacing its content in place (owner and
 * mode kept unless MODE is not (mode_t)-1) or creating it, owned by root,
 * in an existing directory. A symlink or a directory there is an error:
 * nothing is written through a link a template may hold.
 */
static int
id_write(ext2_filsys fs, const char *path, const void *data, size_t len,
    mode_t mode, char **cause)
{
	struct ext2_inode	 inode;
	ext2_extent_handle_t	 handle;
	ext2_file_t		 file = NULL;
	ext2_ino_t		 dir, ino;
	const char		*base;
	errcode_t		 err;
	unsigned int		 put;
	size_t			 off = 0;
	time_t			 now = time(NULL);

	if ((dir = id_parent(fs, path, &base, cause)) == 0)
		return (-1);
	err = ext2fs_lookup(fs, dir, base, strlen(base), NULL, &ino);
	if (err == 0) {
		if ((err = ext2fs_read_inode(fs, ino, &inode)) != 0)
			goto fail;
		if (!LINUX_S_ISREG(inode.i_mode)) {
			*cause = xprintf("%s: exists and is not a regular "
			    "file", path);
			return (-1);
		}
	} else if (err == EXT2_ET_FILE_NOT_FOUND) {
		if (mode == (mode_t)-1)
			mode = 0644;
		err = ext2fs_new_inode(fs, dir, LINUX_S_IFREG | mode, 0, &ino);
		if (err != 0)
			goto fail;
		if ((err = id_link(fs, dir, base, ino, EXT2_FT_REG_FILE)) != 0)
			goto fail;
		ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
		memset(&inode, 0, sizeof inode);
		inode.i_mode = LINUX_S_IFREG | mode;
		inode.i_atime = inode.i_ctime = inode.i_mtime = now;
		inode.i_links_count = 1;
		if (ext2fs_has_feature_extents(fs->super)) {
			if ((err = ext2fs_extent_open2(fs, ino, &inode,
			    &handle)) != 0)
				goto fail;
			ext2fs_extent_free(handle);
		}
		if ((err = ext2fs_write_new_inode(fs, ino, &inode)) != 0)
			goto fail;
	} else
		goto fail;

	if ((err = ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &file)) != 0)
		goto fail;
	if ((err = ext2fs_file_set_size2(file, 0)) != 0)
		goto fail;
	while (off < len) {
		err = ext2fs_file_write(file, (const char *)data + off,
		    len - off, &put);
		if (err != 0)
			goto fail;
		off += put;
	}
	if ((err = ext2fs_file_close(file)) != 0) {
		file = NULL;
		goto fail;
	}
	file = NULL;
	if ((err = ext2fs_read_inode(fs, ino, &inode)) != 0)
		goto fail;
	if (mode != (mode_t)-1)
		inode.i_mode = LINUX_S_IFREG | (mode & 07777);
	inode.i_mtime = inode.i_ctime = now;
	if ((err = ext2fs_write_inode(fs, ino, &inode)) != 0)
		goto fail;
	return (0);
fail:
	if (file != NULL)
		ext2fs_file_close(file);
	*cause = xprintf("%s: %s", path, error_message(err));
	return (-1);
}

/* mkdir PATH (mode, owned by root) unless it is already a directory. */
static int
id_mkdir(ext2_filsys fs, const char *path, mode_t mode, char **cause)
{
	struct ext2_inode	 inode;
	ext2_ino_t		 dir, ino;
	const char		*base;
	errcode_t		 err;

	if ((ino = id_lookup(fs, path, NULL)) != 0) {
		if (ext2fs_read_inode(fs, ino, &inode) == 0 &&
		    LINUX_S_ISDIR(inode.i_mode))
			return (0);
		*cause = xprintf("%s: exists and is not a directory", path);
		return (-1);
	}
	if ((dir = id_parent(fs, path, &base, cause)) == 0)
		return (-1);
	err = ext2fs_mkdir(fs, dir, 0, base);
	if (err == EXT2_ET_DIR_NO_SPACE) {
		if ((err = ext2fs_expand_dir(fs, dir)) == 0)
			err = ext2fs_mkdir(fs, dir, 0, base);
	}
	if (err != 0 || (ino = id_lookup(fs, path, cause)) == 0 ||
	    (err = ext2fs_read_inode(fs, ino, &inode)) != 0)
		goto fail;
	inode.i_mode = LINUX_S_IFDIR | (mode & 07777);
	if ((err = ext2fs_write_inode(fs, ino, &inode)) != 0)
		goto fail;
	return (0);
fail:
	if (*cause == NULL)
		*cause = xprintf("%s: %s", path, error_message(err));
	return (-1);
}

/* ---- the files ---------------------------------------------------------- */

/* /etc/hosts with "127.0.1.1 NAME" in place of any 127.0.1.1 line. */
static char *
id_hosts(const char *old, const char *name)
{
	const char	*p = old, *nl;
	char		*out = xstrdup(""), *next;
	int		 done = 0;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (strncmp(p, "127.0.1.1", 9) == 0 && (n == 9 ||
		    isspace((unsigned char)p[9]))) {
			if (!done)
				xasprintf(&next, "%s127.0.1.1\t%s\n", out,
				    name);
			else
				next = xstrdup(out);
			done = 1;
		} else
			xasprintf(&next, "%s%.*s\n", out, (int)n, p);
		free(out);
		out = next;
		if (!done && strncmp(p, "127.0.0.1", 9) == 0) {
			xasprintf(&next, "%s127.0.1.1\t%s\n", out, name);
			free(out);
			out = next;
			done = 1;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	if (!done) {
		xasprintf(&next, "%s127.0.1.1\t%s\n", out, name);
		free(out);
		out = next;
	}
	return (out);
}

/* /etc/shadow with root's hash replaced (and its last change today). */
static int
id_shadow(const char *old, const char *hash, char **out, char **cause)
{
	const char	*p = old, *nl, *f2, *f3;
	char		*s = xstrdup(""), *next;
	long		 today = (long)(time(NULL) / 86400);
	int		 found = 0;
	size_t		 n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 5 && strncmp(p, "root:", 5) == 0 &&
		    (f2 = memchr(p + 5, ':', n - 5)) != NULL &&
		    (f3 = memchr(f2 + 1, ':', n - (f2 + 1 - p))) != NULL) {
			xasprintf(&next, "%sroot:%s:%ld%.*s\n", s, hash, today,
			    (int)(n - (f3 - p)), f3);
			found = 1;
		} else
			xasprintf(&next, "%s%.*s\n", s, (int)n, p);
		free(s);
		s = next;
		p = nl != NULL ? nl + 1 : p + n;
	}
	if (!found) {
		free(s);
		*cause = xstrdup("/etc/shadow: no root entry");
		return (-1);
	}
	*out = s;
	return (0);
}

/* The first line of a file (a password), without its newline. */
static int
id_first_line(const char *path, char **line, char **cause)
{
	char	*buf = NULL;
	size_t	 len, n;

	if (file_read(path, &buf, &len, cause) != 0)
		return (-1);
	n = strcspn(buf, "\r\n");
	if (n == 0) {
		explicit_bzero(buf, len);
		free(buf);
		*cause = xprintf("%s: the first line is empty", path);
		return (-1);
	}
	*line = xstrndup(buf, n);
	explicit_bzero(buf, len);
	free(buf);
	return (0);
}

/* Each non-comment line of an authorized_keys file must look like a key. */
int
identity_check_ssh_key(const char *path, char **cause)
{
	char		*buf = NULL, *line, *save = NULL;
	size_t		 len;
	int		 keys = 0, rc = -1, lineno = 0;

	if (file_read(path, &buf, &len, cause) != 0)
		return (-1);
	if (memchr(buf, '\0', len) != NULL) {
		*cause = xprintf("%s: a binary file, not a public key", path);
		goto out;
	}
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		line += strspn(line, " \t");
		if (*line == '#' || *line == '\0' || *line == '\r')
			continue;
		if (strstr(line, "PRIVATE KEY") != NULL) {
			*cause = xprintf("%s:%d: a private key; give the "
			    ".pub file", path, lineno);
			goto out;
		}
		if (strncmp(line, "ssh-", 4) != 0 &&
		    strncmp(line, "ecdsa-", 6) != 0 &&
		    strncmp(line, "sk-", 3) != 0 &&
		    strstr(line, " ssh-") == NULL &&
		    strstr(line, " ecdsa-") == NULL) {
			*cause = xprintf("%s:%d: not an SSH public key",
			    path, lineno);
			goto out;
		}
		keys++;
	}
	if (keys == 0) {
		*cause = xprintf("%s: no public key in it", path);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return (rc);
}

/*
 * /etc/network/interfaces for eth0: DHCP, or a static address. eth0 is
 * allow-hotplug, as Debian's installer writes it: ifup@eth0 starts when the
 * NIC appears, and boot does not first wait for udev to settle (with "auto
 * eth0", ifupdown-pre.service runs udevadm settle: seconds under TCG).
 */
static char *
id_interfaces(const struct identity *id)
{
	char	*s;

	if (id->ip == NULL)
		return (xstrdup("# interfaces(5), written by xendeck\n"
		    "source /etc/network/interfaces.d/*\n\n"
		    "auto lo\niface lo inet loopback\n\n"
		    "allow-hotplug eth0\niface eth0 inet dhcp\n"));
	xasprintf(&s, "# interfaces(5), written by xendeck\n"
	    "source /etc/network/interfaces.d/*\n\n"
	    "auto lo\niface lo inet loopback\n\n"
	    "allow-hotplug eth0\niface eth0 inet static\n"
	    "\taddress %s\n%s%s%s", id->ip, id->gateway != NULL ?
	    "\tgateway " : "", id->gateway != NULL ? id->gateway : "",
	    id->gateway != NULL ? "\n" : "");
	return (s);
}

/*
 * Generate the host keys in a private directory: all types at once (RSA
 * takes the longest; the others finish meanwhile).
 */
static int
id_keygen(const char *dir, const char *hostname, char **cause)
{
	struct spawn_proc	 p[nitems(id_key_types)];
	struct spawn_result	 res;
	struct pollfd		 pfd[3];
	char			*argv[12], *file[nitems(id_key_types)];
	char			*comment, *why = NULL;
	size_t			 i, started = 0;
	int			 n, rc = 0;

	xasprintf(&comment, "root@%s", hostname);
	for (i = 0; i < nitems(id_key_types); i++) {
		xasprintf(&file[i], "%s/ssh_host_%s_key", dir,
		    id_key_types[i]);
		n = 0;
		argv[n++] = "ssh-keygen";
		argv[n++] = "-q";
		argv[n++] = "-t";
		argv[n++] = (char *)id_key_types[i];
		if (strcmp(id_key_types[i], "rsa") == 0) {
			argv[n++] = "-b";
			argv[n++] = "3072";
		}
		argv[n++] = "-N";
		argv[n++] = "";
		argv[n++] = "-C";
		argv[n++] = comment;
		argv[n++] = "-f";
		argv[n++] = file[i];
		argv[n] = NULL;
		if (spawn_start(argv, NULL, SPAWN_QUIET, NULL, NULL, &p[i],
		    &why) != 0) {
			rc = -1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		while (!spawn_drained(&p[i])) {
			n = spawn_pollfds(&p[i], pfd, 3);
			if (poll(pfd, n, -1) == -1 && errno != EINTR)
				break;
			spawn_io(&p[i], pfd, n);
		}
		spawn_reap(&p[i], 1);
		memset(&res, 0, sizeof res);
		if (spawn_finish(&p[i], 0, &res, rc == 0 ? &why : cause) != 0)
			rc = -1;
		spawn_result_free(&res);
		spawn_proc_free(&p[i]);
	}
	if (rc != 0 && why != NULL) {
		*cause = xprintf("ssh-keygen: %s", why);
		free(why);
	}
	for (i = 0; i < nitems(id_key_types); i++)
		free(file[i]);
	free(comment);
	return (rc);
}

/* Overwrite and remove the files of a private directory, then it. */
static void
id_wipe_dir(const char *dir)
{
	char		*path, *buf;
	size_t		 i, len;
	int		 fd, k;
	const char	*sfx[] = { "", ".pub" };

	for (i = 0; i < nitems(id_key_types); i++) {
		for (k = 0; k < 2; k++) {
			xasprintf(&path, "%s/ssh_host_%s_key%s", dir,
			    id_key_types[i], sfx[k]);
			if ((fd = open(path, O_WRONLY | O_CLOEXEC)) != -1) {
				len = (size_t)lseek(fd, 0, SEEK_END);
				buf = xcalloc(1, len + 1);
				if (pwrite(fd, buf, len, 0) == -1)
					log_debug("%s: %s", path,
					    strerror(errno));
				fsync(fd);
				close(fd);
				free(buf);
			}
			unlink(path);
			free(path);
		}
	}
	rmdir(dir);
}

/* "SHA256:... (ED25519)" for a public key file. */
static char *
id_fingerprint(const char *pub)
{
	struct spawn_result	 res = { 0 };
	char			*argv[] = { "ssh-keygen", "-l", "-f",
				    (char *)pub, NULL };
	char			*cause = NULL, *s = NULL, *p;

	if (spawn_run(argv, NULL, SPAWN_STDOUT, &res, &cause) != 0) {
		free(cause);
		goto out;
	}
	if (res.out == NULL)
		goto out;
	res.out[strcspn(res.out, "\n")] = '\0';
	/* "256 SHA256:xxx root@name (ED25519)": keep hash and type. */
	if ((p = strchr(res.out, ' ')) != NULL) {
		s = xstrdup(p + 1);
		if ((p = strchr(s, ' ')) != NULL && strrchr(s, '(') != NULL)
			memmove(p + 1, strrchr(s, '('),
			    strlen(strrchr(s, '(')) + 1);
	}
out:
	spawn_result_free(&res);
	return (s);
}

/* A fresh machine id (systemd's format: 128 random bits, version 4). */
static int
id_machine_id(char *buf, char **cause)
{
	unsigned char	 b[16];
	int		 i;

	if (id_random(b, sizeof b, cause) != 0)
		return (-1);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	for (i = 0; i < 16; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	return (0);
}

/* Copy one host key file from the private dir into the guest. */
static int
id_put_key(ext2_filsys fs, const char *dir, const char *type,
    const char *sfx, char **cause)
{
	char	*src, *dst, *buf = NULL;
	size_t	 len;
	int	 rc = -1;

	xasprintf(&src, "%s/ssh_host_%s_key%s", dir, type, sfx);
	xasprintf(&dst, "/etc/ssh/ssh_host_%s_key%s", type, sfx);
	if (file_read(src, &buf, &len, cause) != 0)
		goto out;
	rc = id_write(fs, dst, buf, len, *sfx == '\0' ? 0600 : 0644, cause);
out:
	if (buf != NULL)
		explicit_bzero(buf, len);
	free(buf);
	free(src);
	free(dst);
	return (rc);
}

/* Keep a generated password for the user: 0600 in a 0700 directory. */
static int
id_keep_password(const char *path, const char *pw, char **cause)
{
	char	*dir, *slash, *s;
	int	 rc;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700, cause) != 0) {
			free(dir);
			return (-1);
		}
	}
	free(dir);
	xasprintf(&s, "%s\n", pw);
	rc = file_write_atomic(path, s, strlen(s), 0600, 0, cause);
	explicit_bzero(s, strlen(s));
	free(s);
	return (rc);
}

/* The identity into an open filesystem. */
static int
id_write_all(ext2_filsys fs, const struct identity *id, const char *keydir,
    struct identity_result *res, char **cause)
{
	char		 mid[33], *buf = NULL, *s = NULL, *pw = NULL;
	char		*hash = NULL, *pub;
	unsigned char	 seed[512];
	size_t		 len = 0, i;
	int		 rc = -1;

	xasprintf(&s, "%s\n", id->hostname);
	if (id_write(fs, "/etc/hostname", s, strlen(s), 0644, cause) != 0)
		goto out;
	free(s);
	s = NULL;
	if (id_read(fs, "/etc/hosts", &buf, &len, cause) != 0)
		goto out;
	s = id_hosts(buf, id->hostname);
	if (id_write(fs, "/etc/hosts", s, strlen(s), (mode_t)-1, cause) != 0)
		goto out;
	free(s);
	s = NULL;
	free(buf);
	buf = NULL;
	if (id_lookup(fs, "/etc/mailname", NULL) != 0) {
		xasprintf(&s, "%s\n", id->hostname);
		if (id_write(fs, "/etc/mailname", s, strlen(s), (mode_t)-1,
		    cause) != 0)
			goto out;
		free(s);
		s = NULL;
	}

	if (id_machine_id(mid, cause) != 0)
		goto out;
	xasprintf(&s, "%s\n", mid);
	if (id_write(fs, "/etc/machine-id", s, strlen(s), 0444, cause) != 0)
		goto out;
	free(s);
	s = NULL;
	res->machine_id = xstrdup(mid);

	if (id_random(seed, sizeof seed, cause) != 0)
		goto out;
	if (id_mkdir(fs, "/var/lib/systemd", 0755, cause) != 0 ||
	    id_write(fs, "/var/lib/systemd/random-seed", seed, sizeof seed,
	    0600, cause) != 0)
		goto out;

	if (id_mkdir(fs, "/etc/ssh", 0755, cause) != 0)
		goto out;
	for (i = 0; i < nitems(id_key_types); i++) {
		if (id_put_key(fs, keydir, id_key_types[i], "", cause) != 0 ||
		    id_put_key(fs, keydir, id_key_types[i], ".pub",
		    cause) != 0)
			goto out;
		xasprintf(&s, "%s/ssh_host_%s_key.pub", keydir,
		    id_key_types[i]);
		if ((pub = id_fingerprint(s)) != NULL) {
			strv_push(&res->fingerprints, pub);
			free(pub);
		}
		free(s);
		s = NULL;
	}

	if (id->password_file != NULL || id->generate_password != NULL) {
		if (id->password_file != NULL) {
			if (id_first_line(id->password_file, &pw, cause) != 0)
				goto out;
		} else {
			/* Kept for the user first: never a hash without it. */
			pw = xmalloc(32);
			if (identity_password(pw, 32, cause) != 0 ||
			    id_keep_password(id->generate_password, pw,
			    cause) != 0)
				goto out;
		}
		if (identity_hash_password(pw, &hash, cause) != 0)
			goto out;
		if (id_read(fs, "/etc/shadow", &buf, &len, cause) != 0 ||
		    id_shadow(buf, hash, &s, cause) != 0 ||
		    id_write(fs, "/etc/shadow", s, strlen(s), (mode_t)-1,
		    cause) != 0)
			goto out;
		free(s);
		s = NULL;
	}
	if (id->ssh_key_file != NULL) {
		if (file_read(id->ssh_key_file, &s, &len, cause) != 0)
			goto out;
		if (id_mkdir(fs, "/root/.ssh", 0700, cause) != 0 ||
		    id_write(fs, "/root/.ssh/authorized_keys", s, len, 0600,
		    cause) != 0)
			goto out;
		free(s);
		s = NULL;
	}
	s = id_interfaces(id);
	if (id_write(fs, "/etc/network/interfaces", s, strlen(s), 0644,
	    cause) != 0)
		goto out;
	rc = 0;
out:
	explicit_bzero(seed, sizeof seed);
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
	if (hash != NULL) {
		explicit_bzero(hash, strlen(hash));
		free(hash);
	}
	free(buf);
	return (rc);
}

/* A new filesystem UUID, where the checksums do not depend on it. */
static void
id_fs_uuid(ext2_filsys fs)
{
	unsigned char	 u[16];
	char		*cause = NULL;

	if (ext2fs_has_feature_metadata_csum(fs->super) &&
	    !ext2fs_has_feature_csum_seed(fs->super))
		return;
	if (id_random(u, sizeof u, &cause) != 0) {
		free(cause);
		return;
	}
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	memcpy(fs->super->s_uuid, u, sizeof u);
	/*
	 * Every backup superblock too (e2fsck forces a full check, and
	 * systemd then reboots, when the primary's UUID differs from them).
	 */
	fs->flags &= ~(EXT2_FLAG_SUPER_ONLY | EXT2_FLAG_MASTER_SB_ONLY);
	ext2fs_mark_super_dirty(fs);
}

/*
 * Open the ext4 filesystem of DEV (a raw image or a block device) and write
 * the identity into it. The host keys are made first, in a 0700 directory
 * under TMPDIR.
 */
static int
id_apply_raw(const char *dev, const struct identity *id,
    struct identity_result *res, char **cause)
{
	ext2_filsys	 fs = NULL;
	errcode_t	 err;
	char		*keydir = NULL;
	const char	*tmp;
	int		 rc = -1;

	initialize_ext2_error_table();
	tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	xasprintf(&keydir, "%s/xendeck-keys.XXXXXX", tmp);
	if (mkdtemp(keydir) == NULL) {
		*cause = xprintf("%s: %s", keydir, strerror(errno));
		free(keydir);
		return (-1);
	}
	if (id_keygen(keydir, id->hostname, cause) != 0)
		goto out;
	err = ext2fs_open2(dev, NULL, EXT2_FLAG_RW | EXT2_FLAG_64BITS, 0, 0,
	    unix_io_manager, &fs);
	if (err != 0) {
		fs = NULL;
		*cause = xprintf("%s: not an ext2/3/4 filesystem xendeck can "
		    "write (%s)", dev, error_message(err));
		goto out;
	}
	if (fs->super->s_state & EXT2_ERROR_FS ||
	    !(fs->super->s_state & EXT2_VALID_FS)) {
		*cause = xprintf("%s: the filesystem is not clean "
		    "(e2fsck it first)", dev);
		goto out;
	}
	if (ext2fs_has_feature_journal_needs_recovery(fs->super)) {
		*cause = xprintf("%s: the filesystem is in use or was not "
		    "unmounted (its journal needs recovery)", dev);
		goto out;
	}
	if ((err = ext2fs_read_bitmaps(fs)) != 0) {
		*cause = xprintf("%s: %s", dev, error_message(err));
		goto out;
	}
	if (id_write_all(fs, id, keydir, res, cause) != 0)
		goto out;
	id_fs_uuid(fs);
	rc = 0;
out:
	if (fs != NULL) {
		err = ext2fs_close_free(&fs);
		if (err != 0 && rc == 0) {
			*cause = xprintf("%s: %s", dev, error_message(err));
			rc = -1;
		}
	}
	id_wipe_dir(keydir);
	free(keydir);
	return (rc);
}

/* The size of the filesystem on DEV and of DEV itself, in bytes. */
static int
id_sizes(const char *dev, uint64_t *fsbytes, uint64_t *devbytes,
    char **cause)
{
	ext2_filsys	 fs = NULL;
	errcode_t	 err;
	blk64_t		 blocks;
	int		 bsize;

	initialize_ext2_error_table();
	err = ext2fs_open2(dev, NULL, EXT2_FLAG_64BITS, 0, 0, unix_io_manager,
	    &fs);
	if (err != 0) {
		*cause = xprintf("%s: no ext2/3/4 filesystem (%s)", dev,
		    error_message(err));
		return (-1);
	}
	*fsbytes = ext2fs_blocks_count(fs->super) * (uint64_t)fs->blocksize;
	bsize = fs->blocksize;
	ext2fs_close_free(&fs);
	if ((err = ext2fs_get_device_size2(dev, bsize, &blocks)) != 0) {
		*cause = xprintf("%s: %s", dev, error_message(err));
		return (-1);
	}
	*devbytes = blocks * (uint64_t)bsize;
	return (0);
}

/*
 * Give the clone at PATH (format "raw" or "qcow2") its identity. When the
 * volume is larger than its filesystem (a guest bigger than its template),
 * the filesystem is grown to fill it first (resize2fs, offline).
 */
int
identity_apply(const char *path, const char *format,
    const struct identity *id, struct identity_result *res, char **cause)
{
	struct rawview		 view;
	struct spawn_result	 sr = { 0 };
	const char		*dev;
	char			*argv[4];
	uint64_t		 fsb, devb;
	int			 rc = -1, opened = 0;

	memset(res, 0, sizeof *res);
	if (id->hostname == NULL || !valid_name(id->hostname)) {
		*cause = xstrdup("hostname: missing or not a valid name");
		return (-1);
	}
	if (rawview_open(path, format, 1, &view, cause) != 0)
		return (-1);
	opened = 1;
	dev = view.path;
	if (id_sizes(dev, &fsb, &devb, cause) != 0)
		goto out;
	if (devb > fsb + 4 * 1024 * 1024) {
		argv[0] = "resize2fs";
		argv[1] = (char *)dev;
		argv[2] = NULL;
		if (spawn_run(argv, NULL, 0, &sr, cause) != 0)
			goto out;
	}
	if (id_apply_raw(dev, id, res, cause) != 0)
		goto out;
	rc = 0;
out:
	spawn_result_free(&sr);
	if (opened && rawview_close(&view, rc == 0 ? cause : NULL) != 0)
		rc = -1;
	if (rc != 0)
		identity_result_free(res);
	return (rc);
}
