/*
 * A small RFB 3.8 server for the viewer's tests, well-behaved or hostile:
 *
 *   vnc-hostile MODE SOCKET [WxH]
 *
 * listens on the unix SOCKET and serves one client at a time until killed.
 * Modes:
 *   ok          a WxH (default 64x48) screen, left half red, right half
 *               blue; every key, pointer and cut-text event the client
 *               sends is printed on stdout ("key 1 0xffe3", "ptr X Y MASK")
 *   anim        every update request gets a full new frame (benchmarks)
 *   bigrect     a rectangle larger than the screen
 *   race        QEMU's resize race: the first client is told WxH but gets
 *               a frame of W+16 x H+16; later clients are told the new size
 *   hugefb      ServerInit announces 65535x65535
 *   resize-huge a NewFBSize pseudo-rectangle of 65535x65535
 *   cut-zero    a zero-length ServerCutText, then a normal frame
 *   cut-huge    a ServerCutText announcing 0xFFFFFFFF bytes
 *   bogus-enc   a rectangle in encoding 0x7fff1234
 *   truncated   half a frame, then close
 *   stall-hello accept and say nothing
 *   stall-mid   half a frame, then silence with the socket open
 *   bad-version a greeting that is not RFB
 *   evil-name   as ok, but the desktop name holds terminal controls: an
 *               OSC title, a CSI, a C1 CSI (UTF-8) and DEL
 *   random      (with SEED as a 4th argument) after a normal first frame,
 *               random messages: updates with random rectangles in any
 *               encoding and random payloads, cut texts, garbage; then
 *               close. Connection n uses seed SEED+n.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int	 W = 64, H = 48;
static const char *desktop = "hostil";
static int	 rshift = 16, gshift = 8, bshift = 0, bigendian = 0;
static unsigned	 frame;
static int	 conns;

static int
readn(int fd, void *buf, size_t n)
{
	char	*p = buf;
	ssize_t	 r;

	while (n > 0) {
		if ((r = read(fd, p, n)) <= 0)
			return (-1);
		p += r;
		n -= (size_t)r;
	}
	return (0);
}

static int
writen(int fd, const void *buf, size_t n)
{
	const char	*p = buf;
	ssize_t		 r;

	while (n > 0) {
		if ((r = write(fd, p, n)) <= 0)
			return (-1);
		p += r;
		n -= (size_t)r;
	}
	return (0);
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
handshake(int fd, int w, int h)
{
	uint8_t	 buf[64], init[24 + 64];
	size_t	 nlen = strlen(desktop);

	if (writen(fd, "RFB 003.008\n", 12) != 0 || readn(fd, buf, 12) != 0)
		return (-1);
	if (writen(fd, "\001\001", 2) != 0 || readn(fd, buf, 1) != 0)
		return (-1);
	memset(buf, 0, 4);
	if (writen(fd, buf, 4) != 0 || readn(fd, buf, 1) != 0)
		return (-1);
	memset(init, 0, sizeof init);
	put16(init, (unsigned)w);
	put16(init + 2, (unsigned)h);
	init[4] = 32;		/* bpp */
	init[5] = 24;		/* depth */
	init[6] = 0;		/* little endian */
	init[7] = 1;		/* true colour */
	put16(init + 8, 255);
	put16(init + 10, 255);
	put16(init + 12, 255);
	init[14] = 16;
	init[15] = 8;
	init[16] = 0;
	put32(init + 20, (uint32_t)nlen);
	memcpy(init + 24, desktop, nlen);
	return (writen(fd, init, 24 + nlen));
}

static uint32_t
pixel(unsigned r, unsigned g, unsigned b)
{
	uint32_t	 v = r << rshift | g << gshift | b << bshift;

	if (bigendian)
		v = htonl(v);
	return (v);
}

/* FramebufferUpdate header with one rectangle. */
static void
rect_header(uint8_t *p, int x, int y, int w, int h, uint32_t enc)
{
	p[0] = 0;
	p[1] = 0;
	put16(p + 2, 1);
	put16(p + 4, (unsigned)x);
	put16(p + 6, (unsigned)y);
	put16(p + 8, (unsigned)w);
	put16(p + 10, (unsigned)h);
	put32(p + 12, enc);
}

static int
send_frame(int fd, int anim, size_t limit)
{
	uint8_t		 hdr[16];
	uint32_t	*px;
	size_t		 n = (size_t)W * H;
	int		 x, y, rc;

	px = malloc(n * 4);
	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++) {
			if (anim)
				px[y * W + x] = pixel((x + frame * 7) & 255,
				    (y + frame * 3) & 255, (x ^ y) & 255);
			else
				px[y * W + x] = x < W / 2 ? pixel(255, 0, 0) :
				    pixel(0, 0, 255);
		}
	}
	frame++;
	rect_header(hdr, 0, 0, W, H, 0);
	rc = writen(fd, hdr, sizeof hdr);
	if (rc == 0)
		rc = writen(fd, px, limit != 0 && limit < n * 4 ? limit :
		    n * 4);
	free(px);
	return (rc);
}

/* Client messages; returns the type handled, -1 on EOF. */
static int
client_msg(int fd)
{
	uint8_t		 t, b[32];
	uint32_t	 len;
	unsigned	 n, i;

	if (readn(fd, &t, 1) != 0)
		return (-1);
	switch (t) {
	case 0:
		if (readn(fd, b, 19) != 0)
			return (-1);
		bigendian = b[5];
		rshift = b[13];
		gshift = b[14];
		bshift = b[15];
		break;
	case 2:
		if (readn(fd, b, 3) != 0)
			return (-1);
		n = (unsigned)b[1] << 8 | b[2];
		for (i = 0; i < n; i++) {
			if (readn(fd, b, 4) != 0)
				return (-1);
			printf("enc %d\n", (int32_t)ntohl(*(uint32_t *)b));
		}
		break;
	case 3:
		if (readn(fd, b, 9) != 0)
			return (-1);
		break;
	case 4:
		if (readn(fd, b, 7) != 0)
			return (-1);
		printf("key %d 0x%x\n", b[0], ntohl(*(uint32_t *)(b + 3)));
		break;
	case 5:
		if (readn(fd, b, 5) != 0)
			return (-1);
		printf("ptr %u %u %u\n", (unsigned)b[1] << 8 | b[2],
		    (unsigned)b[3] << 8 | b[4], b[0]);
		break;
	case 6:
		if (readn(fd, b, 7) != 0)
			return (-1);
		len = ntohl(*(uint32_t *)(b + 3));
		while (len-- > 0)
			if (readn(fd, b, 1) != 0)
				return (-1);
		break;
	case 255:
		if (readn(fd, b, 11) != 0)
			return (-1);
		printf("xkey %d 0x%x 0x%x\n", b[2],
		    ntohl(*(uint32_t *)(b + 3)), ntohl(*(uint32_t *)(b + 7)));
		break;
	default:
		printf("unknown client message %d\n", t);
		return (-1);
	}
	fflush(stdout);
	return (t);
}

static unsigned	 seed;

/* Random server messages, then EOF: the viewer must end cleanly. */
static void
serve_random(int fd)
{
	static const int32_t	 encs[] = { 0, 1, 2, 5, 6, 16, -223, -224,
	    -258, 7, 9, 15, 0x7fff1234, -239 };
	uint8_t			 m[16], junk[4096];
	int			 i, n, k, len;

	srand(seed + (unsigned)conns++);
	n = 1 + rand() % 8;
	for (i = 0; i < n; i++) {
		for (k = 0; k < (int)sizeof junk; k++)
			junk[k] = (uint8_t)(rand() % 4 == 0 ? rand() : 0);
		len = rand() % 3 == 0 ? rand() % 4096 : rand() % 64;
		switch (rand() % 4) {
		case 0:
		case 1:
			rect_header(m, rand() % (W + 8), rand() % (H + 8),
			    rand() % (W + 8), rand() % (H + 8),
			    (uint32_t)encs[rand() % (int)(sizeof encs /
			    sizeof encs[0])]);
			if (rand() % 4 == 0)
				put16(m + 2, (unsigned)(1 + rand() % 4));
			writen(fd, m, 16);
			break;
		case 2:
			memset(m, 0, 8);
			m[0] = 3;
			put32(m + 4, rand() % 2 ? (uint32_t)len :
			    (uint32_t)rand() * 4096u);
			writen(fd, m, 8);
			break;
		default:
			m[0] = (uint8_t)rand();
			writen(fd, m, 1);
			break;
		}
		writen(fd, junk, (size_t)len);
	}
}

static void
serve(int fd, const char *mode)
{
	uint8_t	 m[32];
	int	 t, first = 1;

	if (strcmp(mode, "stall-hello") == 0) {
		pause();
		return;
	}
	if (strcmp(mode, "bad-version") == 0) {
		writen(fd, "HTTP/1.0 400\n", 12);
		sleep(1);
		return;
	}
	if (strcmp(mode, "evil-name") == 0) {
		desktop = "ev\033]0;pwned\007il\033[2J\302\233" "2J\177!";
		mode = "ok";
	}
	if (strcmp(mode, "race") == 0) {
		if (conns++ == 0) {
			if (handshake(fd, W, H) != 0)
				return;
			W += 16;	/* the mode switch */
			H += 16;
		} else if (handshake(fd, W, H) != 0)
			return;
		mode = "ok";
	} else if (handshake(fd, strcmp(mode, "hugefb") == 0 ? 65535 : W,
	    strcmp(mode, "hugefb") == 0 ? 65535 : H) != 0)
		return;
	while ((t = client_msg(fd)) >= 0) {
		if (t != 3)
			continue;
		if (strcmp(mode, "random") == 0) {
			if (first) {
				send_frame(fd, 1, 0);
				first = 0;
				continue;
			}
			serve_random(fd);
			return;
		}
		if (!first && strcmp(mode, "ok") != 0 &&
		    strcmp(mode, "anim") != 0 && strcmp(mode, "cut-zero") != 0)
			continue;
		if (strcmp(mode, "ok") == 0 || strcmp(mode, "anim") == 0) {
			if ((first || strcmp(mode, "anim") == 0) &&
			    send_frame(fd, mode[0] == 'a', 0) != 0)
				return;
			if (!first && mode[0] == 'o') {
				/* Incremental: an empty update. */
				memset(m, 0, 4);
				if (writen(fd, m, 4) != 0)
					return;
			}
		} else if (strcmp(mode, "bigrect") == 0) {
			rect_header(m, 10, 10, W, H, 0);
			writen(fd, m, 16);
		} else if (strcmp(mode, "resize-huge") == 0) {
			rect_header(m, 0, 0, 65535, 65535, 0xFFFFFF21);
			writen(fd, m, 16);
		} else if (strcmp(mode, "cut-zero") == 0) {
			if (first) {
				memset(m, 0, 8);
				m[0] = 3;
				writen(fd, m, 8);
				send_frame(fd, 0, 0);
			} else {
				memset(m, 0, 4);
				writen(fd, m, 4);
			}
		} else if (strcmp(mode, "cut-huge") == 0) {
			memset(m, 0, 8);
			m[0] = 3;
			put32(m + 4, 0xFFFFFFFFu);
			writen(fd, m, 8);
			writen(fd, "xxxxxxxx", 8);
		} else if (strcmp(mode, "bogus-enc") == 0) {
			rect_header(m, 0, 0, 8, 8, 0x7fff1234);
			writen(fd, m, 16);
			writen(fd, "zzzzzzzzzzzzzzzz", 16);
		} else if (strcmp(mode, "truncated") == 0) {
			send_frame(fd, 0, 100);
			return;
		} else if (strcmp(mode, "stall-mid") == 0) {
			send_frame(fd, 0, 100);
			pause();
			return;
		}
		first = 0;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	int			 lfd, fd;

	if (argc < 3) {
		fprintf(stderr, "usage: vnc-hostile MODE SOCKET [WxH]\n");
		return (2);
	}
	if (argc > 3 && sscanf(argv[3], "%dx%d", &W, &H) != 2)
		return (2);
	if (argc > 4)
		seed = (unsigned)strtoul(argv[4], NULL, 10);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", argv[2]);
	unlink(argv[2]);
	if ((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(lfd, 4) == -1) {
		perror(argv[2]);
		return (1);
	}
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		frame = 0;
		serve(fd, argv[1]);
		close(fd);
	}
}
