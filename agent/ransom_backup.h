/*
 * ransom_backup.h - recognising the removal of backups and snapshots.
 *
 * Ransomware deletes what would let the victim recover before it
 * encrypts: on Windows "vssadmin delete shadows"; on Linux the same step
 * is removing btrfs/LVM/ZFS snapshots or backup files. A file watch sees
 * it in two ways: a process whose command line is such a command deleting
 * anything, and a process deleting several files under a backup path.
 * Pure string logic; the watcher supplies /proc/PID/cmdline.
 */
#ifndef MAMORI_AGENT_RANSOM_BACKUP_H
#define MAMORI_AGENT_RANSOM_BACKUP_H

#include <stdbool.h>

/* cmdline: arguments separated by single spaces (as the watcher reads
 * /proc/PID/cmdline). True for snapshot/backup removal commands:
 * btrfs subvolume delete, lvremove, zfs destroy, timeshift --delete(-all),
 * snapper delete, vssadmin delete shadows, wbadmin delete, wmic shadowcopy
 * delete. */
bool ransom_backup_command(const char *cmdline);

/* True when the program is a backup tool (restic, borg, rsnapshot,
 * duplicity, deja-dup, snapper, timeshift, rsync): its own retention
 * deletes old backups and is not counted. */
bool ransom_backup_tool(const char *cmdline);

#endif
