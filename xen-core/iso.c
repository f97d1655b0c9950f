/*
 * What an installer ISO is, read from its own structures: the ISO 9660
 * volume descriptors (ECMA-119) for the label and size, El Torito's boot
 * catalog for how it boots, and its directories -- through Joliet or Rock
 * Ridge names where it has them, and through UDF (ECMA-167) for the UDF
 * bridge discs Windows ships, whose ISO 9660 side holds only a README --
 * to find what installs from it: sources/install.wim on a Windows
 * installer, .disk/info, install.amd/, casper/, isolinux/ or boot/grub/ on
 * a Linux one.
 *
 * Disc contents are untrusted: every extent is checked against the file,
 * a directory is read up to 1 MiB, a path at most 8 components deep, and a
 * name is what fits in 255 bytes.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

#define ISO_SECTOR	2048
#define ISO_DIR_MAX	(1024 * 1024)	/* bytes of one directory read */
#define ISO_DEPTH_MAX	8
#define ISO_NAME_MAX	255

/* Which directory tree a lookup walks. */
enum iso_tree { TREE_ISO, TREE_JOLIET, TREE_UDF };

/* A file or directory found in a tree. */
struct iso_node {
	uint64_t	 pos;		/* byte offset of its data (ISO trees) */
	uint64_t	 len;		/* its size */
	int		 dir;
	uint32_t	 icb;		/* UDF: its ICB's logical block */
};

struct iso {
	int		 fd;
	uint64_t	 fsize;
	uint32_t	 block;		/* ISO 9660 logical block size */
	struct iso_node	 root, jroot;
	int		 have_joliet;
	int		 susp_skip;	/* Rock Ridge: SUSP bytes to skip */
	int		 rockridge;
	/* UDF */
	int		 have_udf;
	uint32_t	 part_start;	/* partition's first sector */
	uint32_t	 part_len;
	uint32_t	 udf_root;	/* root directory ICB, logical block */
};

static uint16_t
le16(const uint8_t *p)
{
	return ((uint16_t)(p[0] | p[1] << 8));
}

static uint32_t
le32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static uint64_t
le64(const uint8_t *p)
{
	return ((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
}

/* Read len bytes at off; -1 if the image is shorter or unreadable. */
static int
iso_read(struct iso *iso, uint64_t off, void *buf, size_t len)
{
	ssize_t	 n;
	size_t	 done = 0;

	if (off > iso->fsize || len > iso->fsize - off)
		return (-1);
	while (done < len) {
		n = pread(iso->fd, (char *)buf + done, len - done,
		    (off_t)(off + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		done += (size_t)n;
	}
	return (0);
}

/* Copy a blank-padded field, trailing blanks gone, printable only. */
static void
iso_field(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++)
		dst[n++] = isprint(src[i]) ? (char)src[i] : '?';
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/* ISO 9660: a directory record's node. */
static void
iso_record_node(const struct iso *iso, const uint8_t *r, struct iso_node *n)
{
	n->pos = (uint64_t)le32(r + 2) * iso->block;
	n->len = le32(r + 10);
	n->dir = (r[25] & 0x02) != 0;
	n->icb = 0;
}

/*
 * The name of an ISO 9660 directory record: Joliet's UCS-2 (non-ASCII as
 * '?'), else Rock Ridge's NM entries, else the ISO name less its ";1"
 * version and a trailing dot.
 */
static void
iso_record_name(const struct iso *iso, const uint8_t *r, size_t rlen,
    int joliet, char *name, size_t size)
{
	size_t		 nlen = r[32], i, n = 0, su, end, elen;
	const uint8_t	*id = r + 33;

	name[0] = '\0';
	if (joliet) {
		for (i = 0; i + 1 < nlen && n + 1 < size; i += 2)
			name[n++] = id[i] == 0 && isprint(id[i + 1]) ?
			    (char)id[i + 1] : '?';
		name[n] = '\0';
	} else if (iso->rockridge) {
		su = 33 + nlen + (nlen % 2 == 0 ? 1 : 0) + iso->susp_skip;
		for (i = su; i + 4 <= rlen; i += elen) {
			elen = r[i + 2];
			if (elen < 4 || i + elen > rlen)
				break;
			if (r[i] != 'N' || r[i + 1] != 'M' || elen < 5)
				continue;
			/* Flags: 0x1 continues, 0x2 ".", 0x4 "..". */
			for (end = i + 5; end < i + elen && n + 1 < size;
			    end++)
				name[n++] = isprint(r[end]) ? (char)r[end] :
				    '?';
			name[n] = '\0';
			if (!(r[i + 4] & 0x01))
				break;
		}
		if (n > 0)
			return;
	}
	if (n > 0)
		return;
	for (i = 0; i < nlen && n + 1 < size && id[i] != ';'; i++)
		name[n++] = isprint(id[i]) ? (char)id[i] : '?';
	if (n > 0 && name[n - 1] == '.')
		n--;
	name[n] = '\0';
}

/* A name as ISO 9660 level 1 writes it: ".disk" is stored as "_DISK". */
static int
iso_name_eq(const char *disc, const char *want)
{
	if (strcasecmp(disc, want) == 0)
		return (1);
	return (want[0] == '.' && disc[0] == '_' &&
	    strcasecmp(disc + 1, want + 1) == 0);
}

/* Look NAME up in the ISO 9660 (or Joliet) directory DIR. */
static int
iso_dir_find(struct iso *iso, const struct iso_node *dir, int joliet,
    const char *want, struct iso_node *out)
{
	uint8_t		*buf;
	char		 name[ISO_NAME_MAX + 1];
	uint64_t	 len = dir->len;
	size_t		 off = 0, rlen;
	int		 found = 0;

	if (len > ISO_DIR_MAX)
		len = ISO_DIR_MAX;
	buf = xmalloc(len + 1);
	if (iso_read(iso, dir->pos, buf, len) != 0)
		goto out;
	while (off < len) {
		rlen = buf[off];
		if (rlen == 0) {	/* records never cross a sector */
			off = (off / ISO_SECTOR + 1) * ISO_SECTOR;
			continue;
		}
		if (rlen < 34 || off + rlen > len || 33 + (size_t)buf[off +
		    32] > rlen)
			break;
		/* 0 and 1 are "." and "..". */
		if (!(buf[off + 32] == 1 && buf[off + 33] <= 1)) {
			iso_record_name(iso, buf + off, rlen, joliet, name,
			    sizeof name);
			if (iso_name_eq(name, want)) {
				iso_record_node(iso, buf + off, out);
				found = 1;
				break;
			}
		}
		off += rlen;
	}
out:
	free(buf);
	return (found);
}

/*
 * UDF: the sector of logical block LB of the partition, and a descriptor
 * there with tag id TAG (its 16-byte tag checked).
 */
static int
udf_read_tag(struct iso *iso, uint32_t lb, uint16_t tag, uint8_t *buf)
{
	uint8_t		 sum = 0;
	int		 i;

	if (lb >= iso->part_len && iso->part_len != 0)
		return (-1);
	if (iso_read(iso, (uint64_t)(iso->part_start + lb) * ISO_SECTOR, buf,
	    ISO_SECTOR) != 0)
		return (-1);
	for (i = 0; i < 16; i++)
		if (i != 4)
			sum += buf[i];
	if (sum != buf[4] || le16(buf) != tag)
		return (-1);
	return (0);
}

/*
 * UDF: the data of the file (or directory) whose File Entry is at logical
 * block ICB, up to max bytes, and whether it is a directory.
 */
static int
udf_file_data(struct iso *iso, uint32_t icb, size_t max, uint8_t **data,
    size_t *len, int *dir)
{
	uint8_t		 fe[ISO_SECTOR], *out = NULL;
	uint64_t	 size;
	uint32_t	 lea, lad, ads, alen, apos, i, step;
	size_t		 have = 0, take;
	int		 adtype;
	uint16_t	 tag;

	if (udf_read_tag(iso, icb, 261, fe) == 0)	/* File Entry */
		tag = 261;
	else if (udf_read_tag(iso, icb, 266, fe) == 0)	/* Extended FE */
		tag = 266;
	else
		return (-1);
	*dir = fe[27] == 4;
	adtype = le16(fe + 34) & 0x7;
	size = le64(fe + 56);
	if (tag == 261) {
		lea = le32(fe + 168);
		lad = le32(fe + 172);
		ads = 176;
	} else {
		lea = le32(fe + 208);
		lad = le32(fe + 212);
		ads = 216;
	}
	if (lea > ISO_SECTOR || lad > ISO_SECTOR || ads + lea + lad >
	    ISO_SECTOR)
		return (-1);
	ads += lea;
	if (size > max)
		size = max;
	out = xmalloc(size + 1);
	if (adtype == 3) {	/* the data is embedded in the entry */
		take = size < lad ? size : lad;
		memcpy(out, fe + ads, take);
		have = take;
	} else if (adtype == 0 || adtype == 1) {
		step = adtype == 0 ? 8 : 16;
		for (i = 0; i + step <= lad && have < size; i += step) {
			alen = le32(fe + ads + i) & 0x3fffffff;
			apos = le32(fe + ads + i + 4);
			if ((le32(fe + ads + i) >> 30) == 3 || alen == 0)
				break;	/* next extent of ADs: not followed */
			take = alen < size - have ? alen : size - have;
			if ((le32(fe + ads + i) >> 30) != 0)
				memset(out + have, 0, take);	/* unrecorded */
			else if (iso_read(iso, (uint64_t)(iso->part_start +
			    apos) * ISO_SECTOR, out + have, take) != 0) {
				free(out);
				return (-1);
			}
			have += take;
		}
	} else {
		free(out);
		return (-1);
	}
	*data = out;
	*len = have;
	return (0);
}

/* UDF: an OSTA CS0 file identifier as ASCII (others as '?'). */
static void
udf_name(const uint8_t *id, size_t len, char *name, size_t size)
{
	size_t	 i, n = 0;

	name[0] = '\0';
	if (len == 0)
		return;
	if (id[0] == 8) {
		for (i = 1; i < len && n + 1 < size; i++)
			name[n++] = isprint(id[i]) ? (char)id[i] : '?';
	} else if (id[0] == 16) {
		for (i = 1; i + 1 < len && n + 1 < size; i += 2)
			name[n++] = id[i] == 0 && isprint(id[i + 1]) ?
			    (char)id[i + 1] : '?';
	}
	name[n] = '\0';
}

/* UDF: look NAME up in the directory whose File Entry is at DIR. */
static int
udf_dir_find(struct iso *iso, uint32_t dir, const char *want,
    struct iso_node *out)
{
	uint8_t		*d = NULL;
	char		 name[ISO_NAME_MAX + 1];
	size_t		 len, off, fid, lfi, liu;
	int		 isdir, found = 0;

	if (udf_file_data(iso, dir, ISO_DIR_MAX, &d, &len, &isdir) != 0)
		return (0);
	if (!isdir)
		goto out;
	for (off = 0; off + 38 <= len; off += fid) {
		if (le16(d + off) != 257)	/* File Identifier Descriptor */
			break;
		lfi = d[off + 19];
		liu = le16(d + off + 36);
		fid = (38 + lfi + liu + 3) & ~(size_t)3;
		if (off + 38 + liu + lfi > len)
			break;
		if (d[off + 18] & (0x04 | 0x08))	/* deleted, parent */
			continue;
		udf_name(d + off + 38 + liu, lfi, name, sizeof name);
		if (strcasecmp(name, want) == 0) {
			memset(out, 0, sizeof *out);
			out->icb = le32(d + off + 24);
			out->dir = (d[off + 18] & 0x02) != 0;
			found = 1;
			break;
		}
	}
out:
	free(d);
	return (found);
}

/*
 * UDF: the anchor at sector 256, its main volume descriptor sequence (the
 * partition, and the logical volume's file set), the file set's root.
 * Only a plain type 1 partition map is followed (what UDF 1.02 to 2.01
 * discs use); a metadata partition (UDF 2.50) leaves have_udf 0.
 */
static void
udf_open(struct iso *iso)
{
	uint8_t		 b[ISO_SECTOR];
	uint32_t	 vds, vdslen, i, fsd_lb = 0, lbsize = 0, maps, mlen;
	int		 have_part = 0, have_lvd = 0;

	if (iso_read(iso, 256ULL * ISO_SECTOR, b, ISO_SECTOR) != 0 ||
	    le16(b) != 2)
		return;
	vdslen = le32(b + 16) / ISO_SECTOR;
	vds = le32(b + 20);
	if (vdslen > 64)
		vdslen = 64;
	for (i = 0; i < vdslen; i++) {
		if (iso_read(iso, (uint64_t)(vds + i) * ISO_SECTOR, b,
		    ISO_SECTOR) != 0)
			return;
		switch (le16(b)) {
		case 5:		/* Partition Descriptor */
			if (have_part)
				break;
			iso->part_start = le32(b + 188);
			iso->part_len = le32(b + 192);
			have_part = 1;
			break;
		case 6:		/* Logical Volume Descriptor */
			lbsize = le32(b + 212);
			fsd_lb = le32(b + 252);
			mlen = le32(b + 264);
			maps = le32(b + 268);
			/* One type 1 map (type byte 1 at 440). */
			if (maps != 1 || mlen < 6 || b[440] != 1)
				return;
			have_lvd = 1;
			break;
		case 8:		/* Terminating Descriptor */
			i = vdslen;
			break;
		}
	}
	if (!have_part || !have_lvd || lbsize != ISO_SECTOR)
		return;
	if (udf_read_tag(iso, fsd_lb, 256, b) != 0)	/* File Set */
		return;
	iso->udf_root = le32(b + 404);
	iso->have_udf = 1;
}

/* The node PATH ("a/b/c", no leading slash) names in TREE; 1 if found. */
static int
iso_find(struct iso *iso, enum iso_tree tree, const char *path,
    struct iso_node *out)
{
	struct iso_node	 cur, next;
	char		*copy, *p, *w;
	int		 depth = 0, found = 1;

	switch (tree) {
	case TREE_ISO:
		cur = iso->root;
		break;
	case TREE_JOLIET:
		if (!iso->have_joliet)
			return (0);
		cur = iso->jroot;
		break;
	case TREE_UDF:
		if (!iso->have_udf)
			return (0);
		memset(&cur, 0, sizeof cur);
		cur.icb = iso->udf_root;
		cur.dir = 1;
		break;
	}
	copy = p = xstrdup(path);
	while ((w = strsep(&p, "/")) != NULL) {
		if (*w == '\0')
			continue;
		if (!cur.dir || ++depth > ISO_DEPTH_MAX) {
			found = 0;
			break;
		}
		if (tree == TREE_UDF)
			found = udf_dir_find(iso, cur.icb, w, &next);
		else
			found = iso_dir_find(iso, &cur, tree == TREE_JOLIET,
			    w, &next);
		if (!found)
			break;
		cur = next;
	}
	free(copy);
	if (found)
		*out = cur;
	return (found);
}

/* Whether PATH exists in any tree; its tree in *where (for the text). */
static int
iso_has(struct iso *iso, const char *path, enum iso_tree *where)
{
	struct iso_node	 n;
	enum iso_tree	 t;

	for (t = TREE_ISO; t <= TREE_UDF; t++) {
		if (iso_find(iso, t, path, &n)) {
			if (where != NULL)
				*where = t;
			return (1);
		}
	}
	return (0);
}

/* The first line of a small text file on the disc, or NULL. */
static char *
iso_first_line(struct iso *iso, const char *path)
{
	struct iso_node	 n;
	enum iso_tree	 t;
	uint8_t		*data = NULL;
	char		 line[128];
	size_t		 len = 0;
	int		 dir;

	for (t = TREE_ISO; t <= TREE_UDF; t++) {
		if (!iso_find(iso, t, path, &n) || n.dir)
			continue;
		if (t == TREE_UDF) {
			if (udf_file_data(iso, n.icb, sizeof line - 1, &data,
			    &len, &dir) != 0)
				continue;
		} else {
			len = n.len < sizeof line - 1 ? n.len :
			    sizeof line - 1;
			data = xmalloc(len + 1);
			if (iso_read(iso, n.pos, data, len) != 0) {
				free(data);
				data = NULL;
				continue;
			}
		}
		data[len] = '\0';
		len = strcspn((char *)data, "\r\n");
		iso_field(line, sizeof line, data, len);
		free(data);
		return (line[0] != '\0' ? xstrdup(line) : NULL);
	}
	return (NULL);
}

/* El Torito: the platforms its boot catalog has entries for. */
static void
iso_eltorito(struct iso *iso, uint32_t catalog, struct iso_info *info)
{
	uint8_t		 b[ISO_SECTOR];
	size_t		 off, i, n;
	uint8_t		 platform;

	if (iso_read(iso, (uint64_t)catalog * iso->block, b, sizeof b) != 0 ||
	    b[0] != 1 || b[30] != 0x55 || b[31] != 0xaa)
		return;
	platform = b[1];
	if (b[32] == 0x88) {		/* the default entry is bootable */
		if (platform == 0xef)
			info->boot_efi = 1;
		else if (platform == 0)
			info->boot_bios = 1;
	}
	/* Section headers (0x90 more follow, 0x91 the last) and entries. */
	for (off = 64; off + 32 <= sizeof b; ) {
		if (b[off] != 0x90 && b[off] != 0x91)
			break;
		platform = b[off + 1];
		n = le16(b + off + 2);
		for (i = 0; i < n && off + 32 * (i + 2) <= sizeof b; i++) {
			if (b[off + 32 * (i + 1)] != 0x88)
				continue;
			if (platform == 0xef)
				info->boot_efi = 1;
			else if (platform == 0)
				info->boot_bios = 1;
		}
		if (b[off] == 0x91)
			break;
		off += 32 * (n + 1);
	}
}

/* A Windows disc's volume label: "CCCOMA_X64FRE_EN-US_DV9", ... */
static int
iso_windows_label(const char *l)
{
	return (strstr(l, "X64FRE") != NULL || strstr(l, "X86FRE") != NULL ||
	    strstr(l, "A64FRE") != NULL || strstr(l, "XVOL") != NULL ||
	    strstr(l, "FREV_") != NULL || strncmp(l, "ESD-ISO", 7) == 0 ||
	    strncmp(l, "WIN", 3) == 0);
}

static const char *const iso_tree_names[] = { "", " (Joliet)", " (UDF)" };

/* What installs from the disc, from its files (and, last, its label). */
static void
iso_recognise(struct iso *iso, struct iso_info *info)
{
	static const char *const win[] = {
		"sources/install.wim", "sources/install.esd",
		"sources/install.swm", "i386/txtsetup.sif",
		"amd64/txtsetup.sif", "sources/boot.wim", NULL
	};
	static const struct {
		const char	*path;
		const char	*what;
	} lin[] = {
		{ "install.amd", "Debian installer" },
		{ "casper", "Ubuntu live/installer" },
		{ "live", "live system" },
		{ "images/pxeboot", "Fedora/RHEL installer" },
		{ "isolinux", "isolinux" },
		{ "boot/grub", "GRUB" },
		{ "boot/grub2", "GRUB" },
		{ NULL, NULL }
	};
	enum iso_tree	 where = TREE_ISO;
	char		*line;
	size_t		 i;

	for (i = 0; win[i] != NULL; i++) {
		if (iso_has(iso, win[i], &where)) {
			info->kind = ISO_KIND_WINDOWS;
			snprintf(info->evidence, sizeof info->evidence, "%s%s",
			    win[i], iso_tree_names[where]);
			if (iso_has(iso, "bootmgr", NULL))
				snprintf(info->evidence + strlen(info->evidence),
				    sizeof info->evidence -
				    strlen(info->evidence), ", bootmgr");
			return;
		}
	}
	if ((line = iso_first_line(iso, ".disk/info")) != NULL) {
		info->kind = ISO_KIND_LINUX;
		snprintf(info->evidence, sizeof info->evidence,
		    ".disk/info: %s", line);
		free(line);
		return;
	}
	for (i = 0; lin[i].path != NULL; i++) {
		if (iso_has(iso, lin[i].path, &where)) {
			info->kind = ISO_KIND_LINUX;
			snprintf(info->evidence, sizeof info->evidence,
			    "%s (%s/%s)", lin[i].what, lin[i].path,
			    iso_tree_names[where]);
			return;
		}
	}
	if (iso_windows_label(info->label)) {
		info->kind = ISO_KIND_WINDOWS;
		snprintf(info->evidence, sizeof info->evidence,
		    "the volume label %s", info->label);
		return;
	}
	info->kind = info->boot_bios || info->boot_efi ? ISO_KIND_BOOTABLE :
	    ISO_KIND_DATA;
}

const char *
iso_kind_name(enum iso_kind kind)
{
	switch (kind) {
	case ISO_KIND_WINDOWS:
		return ("Windows installer");
	case ISO_KIND_LINUX:
		return ("Linux installer");
	case ISO_KIND_BOOTABLE:
		return ("bootable disc");
	case ISO_KIND_DATA:
		return ("data disc (not bootable)");
	}
	return ("?");
}

/*
 * Read the ISO at PATH: label, size, boot platforms and what installs
 * from it. -1 with *cause when it cannot be read or is no ISO 9660 image.
 */
int
iso_probe(const char *path, struct iso_info *info, char **cause)
{
	struct iso	 iso;
	struct stat	 st;
	uint8_t		 vd[ISO_SECTOR];
	uint32_t	 catalog = 0;
	int		 i, have_pvd = 0, rc = -1;

	memset(info, 0, sizeof *info);
	memset(&iso, 0, sizeof iso);
	if ((iso.fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(iso.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xprintf("%s: not a regular file", path);
		goto out;
	}
	iso.fsize = info->file_size = (uint64_t)st.st_size;
	for (i = 16; i < 16 + 32; i++) {
		if (iso_read(&iso, (uint64_t)i * ISO_SECTOR, vd, sizeof vd) !=
		    0 || memcmp(vd + 1, "CD001", 5) != 0)
			break;
		if (vd[0] == 255)
			break;
		if (vd[0] == 0 && memcmp(vd + 7, "EL TORITO SPECIFICATION",
		    23) == 0)
			catalog = le32(vd + 71);
		if (vd[0] == 1 && !have_pvd) {
			iso_field(info->label, sizeof info->label, vd + 40, 32);
			iso.block = le16(vd + 128);
			if (iso.block != 2048 && iso.block != 1024 &&
			    iso.block != 512)
				iso.block = 2048;
			info->size = (uint64_t)le32(vd + 80) * iso.block;
			iso_record_node(&iso, vd + 156, &iso.root);
			have_pvd = 1;
		}
		/* Joliet: an SVD with a UCS-2 escape sequence. */
		if (vd[0] == 2 && vd[88] == '%' && vd[89] == '/' &&
		    (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')) {
			iso_record_node(&iso, vd + 156, &iso.jroot);
			iso.have_joliet = 1;
		}
	}
	if (!have_pvd) {
		*cause = xprintf("%s: not an ISO 9660 image (no primary volume "
		    "descriptor at sector 16)", path);
		goto out;
	}
	/* Rock Ridge: the root's "." record starts with SUSP's SP entry. */
	{
		uint8_t	 r[255];
		size_t	 nl;

		if (iso_read(&iso, iso.root.pos, r, sizeof r) == 0 &&
		    r[0] >= 34) {
			nl = r[32];
			i = 33 + nl + (nl % 2 == 0 ? 1 : 0);
			if ((size_t)i + 7 <= r[0] && r[i] == 'S' &&
			    r[i + 1] == 'P' && r[i + 4] == 0xbe &&
			    r[i + 5] == 0xef) {
				iso.rockridge = 1;
				iso.susp_skip = r[i + 6];
			}
		}
	}
	info->joliet = iso.have_joliet;
	info->rockridge = iso.rockridge;
	udf_open(&iso);
	info->udf = iso.have_udf;
	if (catalog != 0)
		iso_eltorito(&iso, catalog, info);
	iso_recognise(&iso, info);
	if (info->size > info->file_size)
		info->truncated = 1;
	rc = 0;
out:
	close(iso.fd);
	return (rc);
}

/*
 * Whether USER (NULL: root) can read PATH, as the device model that opens
 * it will: for root, open it and read its first sector (which catches a
 * FUSE mount root cannot enter and an NFS export that squashes root); for
 * another user, the permission bits of the file and of every directory on
 * the way, for that user and its groups. 0, or -1 with *cause naming the
 * file or directory in the way.
 */
/* Whether uid (with its groups) has WANT (S_IROTH or S_IXOTH) on st. */
static int
iso_may(const struct stat *st, uid_t uid, const gid_t *groups, int ngroups,
    mode_t want)
{
	int	 i;

	if (st->st_uid == uid)
		return ((st->st_mode & (want << 6)) != 0);
	for (i = 0; i < ngroups; i++) {
		if (st->st_gid == groups[i])
			return ((st->st_mode & (want << 3)) != 0);
	}
	return ((st->st_mode & want) != 0);
}

int
iso_readable_by(const char *path, const char *user, char **cause)
{
	struct passwd	*pw;
	struct stat	 st;
	gid_t		 groups[256];
	char		*real = NULL, *part, buf[512];
	size_t		 k, len;
	int		 ngroups = (int)nitems(groups), fd, last, rc = -1;

	if (user == NULL || strcmp(user, "root") == 0) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			*cause = xprintf("%s: %s (as root)", path,
			    strerror(errno));
			return (-1);
		}
		if (pread(fd, buf, sizeof buf, 0) < 0) {
			*cause = xprintf("%s: %s (as root)", path,
			    strerror(errno));
			close(fd);
			return (-1);
		}
		close(fd);
		return (0);
	}
	if ((pw = getpwnam(user)) == NULL) {
		*cause = xprintf("user %s does not exist", user);
		return (-1);
	}
	if (getgrouplist(user, pw->pw_gid, groups, &ngroups) == -1)
		ngroups = 0;
	if ((real = realpath(path, NULL)) == NULL) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	/* Every directory from / down (searchable), then the file. */
	len = strlen(real);
	for (k = 0; k <= len; k++) {
		last = k == len;
		if (!last && real[k] != '/')
			continue;
		part = last ? xstrdup(real) : k == 0 ? xstrdup("/") :
		    xstrndup(real, k);
		if (stat(part, &st) != 0) {
			*cause = xprintf("%s: %s", part, strerror(errno));
			free(part);
			goto out;
		}
		if (!iso_may(&st, pw->pw_uid, groups, ngroups, last ? S_IROTH :
		    S_IXOTH)) {
			*cause = xprintf("%s %s is not %s by %s (mode %04o, "
			    "owner %u:%u)", last ? "the file" : "the directory",
			    part, last ? "readable" : "searchable", user,
			    (unsigned)(st.st_mode & 07777),
			    (unsigned)st.st_uid, (unsigned)st.st_gid);
			free(part);
			goto out;
		}
		free(part);
	}
	rc = 0;
out:
	free(real);
	return (rc);
}

char **
iso_dirs(void)
{
	static const char *const defaults[] = {
		"/var/lib/xendeck/isos", "/srv/iso", "/srv/isos",
		"/var/lib/libvirt/images", "/var/lib/libvirt/boot", "/root",
		"/root/Downloads", NULL
	};
	const char	*env = getenv("XENDECK_ISO_DIRS");
	char		**dirs = xcalloc(1, sizeof *dirs), *copy, *p, *w, *path;
	DIR		*d;
	struct dirent	*de;
	size_t		 i;

	if (env != NULL && *env != '\0') {
		copy = p = xstrdup(env);
		while ((w = strsep(&p, ":")) != NULL) {
			if (*w != '\0')
				strv_push(&dirs, w);
		}
		free(copy);
		return (dirs);
	}
	for (i = 0; defaults[i] != NULL; i++)
		strv_push(&dirs, defaults[i]);
	if ((d = opendir("/home")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			xasprintf(&path, "/home/%s/Downloads", de->d_name);
			strv_push(&dirs, path);
			free(path);
		}
		closedir(d);
	}
	return (dirs);
}

static int
iso_name_is_iso(const char *name)
{
	size_t	 n = strlen(name);

	return (n > 4 && strcasecmp(name + n - 4, ".iso") == 0);
}

static void
iso_list_add(struct iso_entry **list, size_t *n, const char *path)
{
	struct iso_entry	*e;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*list)[i].path, path) == 0)
			return;
	}
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	e = &(*list)[(*n)++];
	memset(e, 0, sizeof *e);
	e->path = xstrdup(path);
	if (iso_probe(path, &e->info, &cause) != 0 ||
	    iso_readable_by(path, NULL, &cause) != 0)
		e->error = cause;
}

/* The *.iso files in DIR, and in its subdirectories when depth > 0. */
static void
iso_list_dir(const char *dir, int depth, struct iso_entry **list, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && *n < 1000) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0) {
			if (S_ISREG(st.st_mode) && iso_name_is_iso(de->d_name))
				iso_list_add(list, n, path);
			else if (S_ISDIR(st.st_mode) && depth > 0)
				iso_list_dir(path, depth - 1, list, n);
		}
		free(path);
	}
	closedir(d);
}

static int
iso_entry_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct iso_entry *)a)->path,
	    ((const struct iso_entry *)b)->path));
}

int
iso_list(struct iso_entry **list, size_t *n)
{
	char	**dirs = iso_dirs();
	size_t	  i;

	*list = NULL;
	*n = 0;
	for (i = 0; dirs[i] != NULL; i++)
		iso_list_dir(dirs[i], 1, list, n);
	strv_free(dirs);
	if (*n > 1)
		qsort(*list, *n, sizeof **list, iso_entry_cmp);
	return (0);
}

void
iso_list_free(struct iso_entry *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(list[i].path);
		free(list[i].error);
	}
	free(list);
}
