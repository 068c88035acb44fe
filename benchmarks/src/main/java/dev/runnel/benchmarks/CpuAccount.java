package dev.runnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used over an interval, from /proc (Linux): by the machine, by this benchmark's JVM (the client), by the
 * server process (broker or agent), and so by everything else. Everything else on a 2-core machine skews the
 * figures, so the table shows it. NaN where /proc is not there.
 */
final class CpuAccount {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final long serverPid;
    private final long startNanos;
    private final long machineStart;
    private final long selfStart;
    private final long serverStart;

    private double machineCores = Double.NaN;
    private double clientCores = Double.NaN;
    private double serverCores = Double.NaN;

    CpuAccount(long serverPid) {
        this.serverPid = serverPid;
        this.startNanos = System.nanoTime();
        this.machineStart = machineBusyTicks();
        this.selfStart = processTicks(ProcessHandle.current().pid());
        this.serverStart = processTicks(serverPid);
    }

    void stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long m = machineBusyTicks();
        long c = processTicks(ProcessHandle.current().pid());
        long s = processTicks(serverPid);
        if (m >= 0 && machineStart >= 0) {
            machineCores = (m - machineStart) / TICKS_PER_SECOND / seconds;
        }
        if (c >= 0 && selfStart >= 0) {
            clientCores = (c - selfStart) / TICKS_PER_SECOND / seconds;
        }
        if (s >= 0 && serverStart >= 0) {
            serverCores = (s - serverStart) / TICKS_PER_SECOND / seconds;
        }
    }

    double machineCores() {
        return machineCores;
    }

    double clientCores() {
        return clientCores;
    }

    double serverCores() {
        return serverCores;
    }

    double otherCores() {
        return Math.max(0, machineCores - clientCores - serverCores);
    }

    /** user+nice+system+irq+softirq+steal of the "cpu" line of /proc/stat; -1 if unreadable. */
    static long machineBusyTicks() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            int[] busyFields = {1, 2, 3, 6, 7, 8};
            for (int i : busyFields) {
                if (i < f.length) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime+stime of a process (all its threads) from /proc/PID/stat; -1 if unreadable. */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // after "pid (comm) ": state(0) ppid(1) ... utime is field 14 of the full line, i.e. index 11 here
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
