import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cgroupVersionOf,
  parseBlkioV1,
  parseCfsQuota,
  parseCpuMax,
  parseIoStatV2,
  parseKeyedFile,
  parseLoadavg,
  parseMeminfo,
  parseMemoryLimit,
  parseNetDev,
  parseProcCgroup,
  parseProcStat,
  workingSet,
} from './cgroup-stats.js';

const ID = '0570564d635202ffcce5337f9368010147cf17f4cc4db66ce0c7c710a3037626';

// Docker 20.10 with the cgroupfs driver on a hybrid host (this machine).
const V1_PROC_CGROUP = `9:name=systemd:/docker/${ID}
8:pids:/docker/${ID}
7:blkio:/docker/${ID}
4:memory:/docker/${ID}
2:cpu,cpuacct:/docker/${ID}
0::/docker/${ID}
`;
// A pure v2 host with the systemd driver.
const V2_PROC_CGROUP = `0::/system.slice/docker-${ID}.scope\n`;

const V1_MEMORY_STAT = `cache 20979712
rss 49152
shmem 0
inactive_file 20971520
active_file 8192
total_cache 20979712
total_rss 49152
total_inactive_file 20971520
total_active_file 8192
`;
const V2_MEMORY_STAT = `anon 67452928
file 21106688
shmem 0
active_anon 67420160
inactive_anon 0
active_file 135168
inactive_file 20971520
`;

describe('cgroup and /proc parsing', () => {
  it('finds v1 controllers on a hybrid host and the unified path on a v2 host', () => {
    const v1 = parseProcCgroup(V1_PROC_CGROUP);
    assert.equal(v1.v1.get('cpuacct'), `/docker/${ID}`);
    assert.equal(v1.v1.get('memory'), `/docker/${ID}`);
    assert.equal(v1.v1.get('blkio'), `/docker/${ID}`);
    assert.equal(cgroupVersionOf(v1), 1);
    const v2 = parseProcCgroup(V2_PROC_CGROUP);
    assert.equal(v2.v1.size, 0);
    assert.equal(v2.v2, `/system.slice/docker-${ID}.scope`);
    assert.equal(cgroupVersionOf(v2), 2);
    assert.equal(cgroupVersionOf(parseProcCgroup('')), null);
  });

  it('computes the working set as usage less inactive file cache, v1 and v2', () => {
    assert.equal(workingSet(22138880, parseKeyedFile(V1_MEMORY_STAT)), 22138880 - 20971520);
    assert.equal(workingSet(88559616, parseKeyedFile(V2_MEMORY_STAT)), 88559616 - 20971520);
    assert.equal(workingSet(100, new Map([['inactive_file', 400]])), 0);
  });

  it('reads memory and CPU limits, unlimited as null', () => {
    assert.equal(parseMemoryLimit('67108864\n'), 67108864);
    assert.equal(parseMemoryLimit('9223372036854771712\n'), null);
    assert.equal(parseMemoryLimit('max\n'), null);
    assert.equal(parseCpuMax('50000 100000\n'), 0.5);
    assert.equal(parseCpuMax('max 100000\n'), null);
    assert.equal(parseCfsQuota('150000\n', '100000\n'), 1.5);
    assert.equal(parseCfsQuota('-1\n', '100000\n'), null);
  });

  it('reads CPU time from v2 cpu.stat', () => {
    const stat = parseKeyedFile('usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 10\n');
    assert.equal(stat.get('usage_usec'), 2_500_000);
  });

  it('sums block I/O over devices: v1 io_service_bytes and v2 io.stat', () => {
    const v1 = `8:0 Read 4096
8:0 Write 1048576
8:0 Sync 1052672
8:0 Total 1052672
8:16 Read 100
8:16 Write 0
Total 1052772
`;
    assert.deepEqual(parseBlkioV1(v1), { read: 4196, write: 1048576 });
    assert.deepEqual(parseBlkioV1('Total 0\n'), { read: 0, write: 0 });
    const v2 = `8:0 rbytes=4096 wbytes=1048576 rios=1 wios=256 dbytes=0 dios=0
259:0 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0
`;
    assert.deepEqual(parseIoStatV2(v2), { read: 4196, write: 1048576 });
  });

  it('sums network bytes of every interface but loopback', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  999999       5    0    0    0     0          0         0   999999       5    0    0    0     0       0          0
  eth0:     486       5    0    0    0     0          0         0      200       2    0    0    0     0       0          0
  eth1:      14       1    0    0    0     0          0         0       20       1    0    0    0     0       0          0
`;
    assert.deepEqual(parseNetDev(text), { rx: 500, tx: 220 });
  });

  it('reads the host: CPU ticks, memory in use, load', () => {
    const stat = `cpu  1000 10 300 4000 50 0 20 30 0 0
cpu0 500 5 150 2000 25 0 10 15 0 0
cpu1 500 5 150 2000 25 0 10 15 0 0
intr 12345
`;
    assert.deepEqual(parseProcStat(stat), { busy: 1360, total: 5410, cpus: 2 });
    assert.deepEqual(parseMeminfo('MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    400 kB\n'), { totalBytes: 1024000, usedBytes: 614400 });
    assert.equal(parseLoadavg('6.75 4.77 2.29 5/174 6186\n'), 6.75);
  });
});
