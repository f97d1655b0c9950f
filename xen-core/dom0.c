/*
 * How big the machine is -- which a PV dom0 cannot tell from /proc (it sees
 * its own memory and vCPUs, not the machine's), so under Xen `xl info` is
 * asked (host-xen.c) -- and the sizes the Xen install wizard advises for
 * dom0.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xen-core.h"

/* MemTotal of a /proc/meminfo, in MiB (0 if absent). */
uint64_t
dom0_meminfo_mib(const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *l;
	size_t		 ll;
	char		*s;
	uint64_t	 kb;

	while (next_line(&p, end, &l, &ll)) {
		if (ll > 9 && strncmp(l, "MemTotal:", 9) == 0) {
			s = xstrndup(l + 9, ll - 9);
			kb = strtoull(s, NULL, 10);
			free(s);
			return (kb / 1024);
		}
	}
	return (0);
}

/*
 * The machine's memory in MiB and its CPUs: `xl info` total_memory and
 * nr_cpus when Xen runs, else MemTotal and the online CPUs. *from says
 * which ("xl info", "/proc/meminfo").
 */
int
dom0_host_size(uint64_t *mib, int *cpus, const char **from, char **cause)
{
	struct host_xen	 x;
	char		*buf = NULL, *m = NULL, *c = NULL;
	size_t		 len;
	long		 n;
	int		 rc = -1;

	host_xen_probe(&x);
	if (x.running) {
		m = host_xen_info(&x, "total_memory");
		c = host_xen_info(&x, "nr_cpus");
		if (m == NULL || c == NULL || atoi(c) <= 0) {
			*cause = xprintf("xl info: no total_memory or nr_cpus"
			    "%s%s", x.info_why != NULL ? ": " : "",
			    x.info_why != NULL ? x.info_why : "");
			goto out;
		}
		*mib = strtoull(m, NULL, 10);
		*cpus = atoi(c);
		*from = "xl info";
		rc = 0;
		goto out;
	}
	if (file_read("/proc/meminfo", &buf, &len, cause) != 0)
		goto out;
	if ((*mib = dom0_meminfo_mib(buf, len)) == 0) {
		*cause = xstrdup("/proc/meminfo: no MemTotal");
		goto out;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	*cpus = n > 0 ? (int)n : 1;
	*from = "/proc/meminfo";
	rc = 0;
out:
	host_xen_free(&x);
	free(buf);
	free(m);
	free(c);
	return (rc);
}

/*
 * dom0's memory for a host of HOST_MIB: 1 GiB and 5% of the host (Citrix
 * Hypervisor's rule for its dom0), at most 8 GiB and at most half of a
 * small host, at least 512 MiB; in 64 MiB steps. A fixed size
 * (dom0_mem=X,max:X) keeps the kernel from sizing its tables for memory it
 * will balloon away.
 */
uint64_t
dom0_mem_advice(uint64_t host_mib)
{
	uint64_t	 m = 1024 + host_mib / 20;

	if (m > 8192)
		m = 8192;
	if (m > host_mib / 2)
		m = host_mib / 2;
	m -= m % 64;
	if (m < 512)
		m = 512;
	return (m);
}

/*
 * dom0's vCPUs for a host of CPUS: all of a small host's (up to 4; dom0
 * runs the guests' disk and network backends and device models), 4 up to
 * 16 CPUs, then a quarter, at most 16.
 */
int
dom0_vcpus_advice(int cpus)
{
	if (cpus <= 4)
		return (cpus < 1 ? 1 : cpus);
	if (cpus <= 16)
		return (4);
	return (cpus / 4 > 16 ? 16 : cpus / 4);
}
