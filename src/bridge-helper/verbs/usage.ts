// SPDX-License-Identifier: LGPL-2.1-or-later

/* `--help`: for an administrator at a shell (the page reads the protocol, not this). */

export const USAGE = `Usage: node helper.js VERB [OPTIONS]

Verbs:
  status                                  the hosted-engine cluster as ovirt-ha sees it
  set-maintenance --mode global|local|none
                                          switch the maintenance mode through hosted-engine
  shutdown-engine-vm                      shut the engine VM on this host down from within (hosted-engine --vm-shutdown)
  readiness                               what the upgrade needs now: global maintenance, the engine VM
                                          here, this host the SPM, and the engine disk's size
  vm-network                              the engine VM's network, host name, time zone and /etc/hosts choice
                                          as the deploy's answers on the configuration volume give them
  appliances                              the installed engine appliances (*-appliance.conf)
  inspect-ova PATH [--sha1 HEX] [--progress]
                                          read an OVA once: sha1, OVF facts, problems (exit 1 when unusable)
  preflight                               read an upgrade plan (JSON) on stdin, run every check, change nothing
                                          (exit 1 when a check fails)
  upgrade                                 read the plan on stdin, run the preflight, and if it passes start
                                          the upgrade job detached; prints {"job": ID, "preflight": ...}
  engine-login                            check the admin@internal password ({"adminPassword": ...} on stdin)
  backups [--ask-engine]                  the backup disks on the storage domain, newest first
                                          (--ask-engine: {"adminPassword": ...} on stdin, to ask the engine)
  rollback                                read {"backup": IMG_UUID} on stdin, check, and start the restore job
                                          detached; prints {"job": ID, "preflight": ...}
  delete-backup                           read {"backup": IMG_UUID, "adminPassword": ..., "allowLastVerified": false}
                                          on stdin and delete that backup disk through the engine
  follow ID                               the job's events from its start, one JSON object a line, until it ends
  jobs                                    the running job and the past ones with their results
  cancel ID                               stop a job before its first destructive step
  resume ID                               continue a job that failed or died where it stopped (an upgrade
                                          reads its secrets again on stdin)
  discard ID                              remove the files a job made (appliance image, seed) for good;
                                          a later resume makes them again from the copies its preflight checked
  validate-backup PATH                    check an engine-backup archive (exit 1 when unusable)
  vmconf-attach-cdrom VMCONF ISO          print VMCONF with its cdrom pointed at ISO (text)
  --help                                  this text

Configuration: $HE_HELPER_CONFIG, else /etc/cockpit-hosted-engine/helper.json,
else the paths of a real oVirt host.
`;
