// SPDX-License-Identifier: LGPL-2.1-or-later

/*
 * The new engine VM's network and identity (issue 13): what is wrong with an
 * address, prefix, gateway or DNS list (the page shows these as the fields are
 * typed, the helper when it checks a plan or the deploy's answers); what the
 * configuration volume and its answer file hold; and the preflight's check of
 * the network. $source is network.source.answers or network.source.plan.
 */

import { N_ } from "./marker";

const FIELD_MESSAGES = {
    "network.address-invalid": N_("Enter an IPv4 address such as 192.168.1.222"),
    "network.address-not-unicast": N_("The address must be a unicast address, not 0.0.0.0, loopback, multicast or reserved"),
    "network.address-network-or-broadcast": N_("The address is its subnet's network or broadcast address"),
    "network.prefix-invalid": N_("Enter a prefix length from 1 to 32, such as 24"),
    "network.gateway-invalid": N_("Enter the gateway's IPv4 address"),
    "network.gateway-other-subnet": N_("The gateway is not in the engine VM's subnet: static routes are not configured"),
    "network.gateway-is-address": N_("The gateway cannot be the engine VM's own address"),
    "network.dns-too-many": N_("At most three DNS servers"),
    "network.dns-invalid": N_("Enter IP addresses separated by commas"),
    "network.host-name-invalid": N_("\"$value\" is not a host name"),
    "network.domain-invalid": N_("\"$value\" is not a domain name"),
    "network.time-zone-invalid": N_("\"$value\" is not a time zone name"),
    "network.source.answers": N_("from the deploy's answers"),
    "network.source.plan": N_("as chosen in Settings"),
} as const;

const ANSWERS_MESSAGES = {
    "answers.line-invalid": N_("$file: line \"$line\" is not an answer"),
    "answers.value-invalid": N_("$file: the value of $key does not match its type"),
    "answers.network-invalid": N_("The deploy's answers give $key a value that cannot be used: $reason"),
    "conf-volume.no-ids": N_("hosted-engine.conf does not name the configuration volume (conf_image_UUID, conf_volume_UUID)"),
    "conf-volume.not-tar": N_("The configuration volume does not begin with a tar archive"),
    "conf-volume.no-member": N_("The configuration volume's archive has no $name"),
    "conf-volume.unreadable": N_("Cannot read the configuration volume: $reason"),
    "plan.vm-network-invalid": N_("The upgrade plan's vmNetwork must be {\"mode\": \"dhcp\"} or {\"mode\": \"static\", \"address\", \"prefix\", \"gateway\", \"dns\"}"),
    "plan.vm-network-bad-field": N_("The upgrade plan's vmNetwork: $reason"),
} as const;

const CHECK_MESSAGES = {
    "preflight.vm-network.static": N_("The engine VM gets the static address $address/$prefix, gateway $gateway, DNS $dns ($source); $fqdn resolves to $address ($resolver)."),
    "preflight.vm-network.dhcp": N_("The engine VM gets its address by DHCP ($source), asked with the old engine VM's MAC address $mac; $fqdn resolves to $resolved ($resolver)."),
    "preflight.vm-network.dhcp-unresolved": N_("The engine VM gets its address by DHCP ($source), asked with the old engine VM's MAC address $mac, but $fqdn does not resolve on this host: the upgrade reaches the new engine by that name. Add it to DNS or to this host's /etc/hosts."),
    "preflight.vm-network.not-resolving": N_("$fqdn resolves to $resolved on this host, not to the engine VM's static address $address ($source). Correct DNS or this host's /etc/hosts: the upgrade reaches the new engine by that name."),
    "preflight.vm-network.missing": N_("Nothing says how the engine VM gets its address: the deploy's answers do not, and no choice was made. Choose DHCP or a static address in Settings."),
    "preflight.vm-network.unreadable": N_("The deploy's answers could not be read ($reason) and no network was chosen. Choose DHCP or a static address in Settings."),
    "preflight.vm-network.invalid": N_("$reason Correct the answers on the configuration volume, or choose the network in Settings."),
    "preflight.vm-network.resolver.hosts": N_("this host's /etc/hosts"),
    "preflight.vm-network.resolver.dns": N_("DNS"),
    "preflight.vm-network.nothing": N_("nothing"),
    "preflight.vm-network.none": N_("none"),
    "preflight.vm-network.unknown-mac": N_("(unknown)"),
} as const;

export const NETWORK_MESSAGES = { ...FIELD_MESSAGES, ...ANSWERS_MESSAGES, ...CHECK_MESSAGES } as const;
