// SPDX-License-Identifier: LGPL-2.1-or-later

import React from "react";
import { Form, FormGroup, FormHelperText } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { HelperText, HelperTextItem } from "@patternfly/react-core/dist/esm/components/HelperText/index.js";
import { Radio } from "@patternfly/react-core/dist/esm/components/Radio/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";

import type { ApplianceEntry } from "../../protocol";
import { formatBytes } from "../jobs/format";
import cockpit from "../lib/cockpit";
import type { UpgradeForm } from "./upgrade-form";

const _ = cockpit.gettext;

/* The appliance to upgrade to: one of the installed ones, or an OVA file given by its path (and sha1). */
export const ApplianceChoice = ({ form, appliances, pathInvalid, sha1Invalid, onForm }: {
    form: UpgradeForm;
    appliances: ApplianceEntry[];
    pathInvalid: boolean;
    sha1Invalid: boolean;
    onForm: (change: Partial<UpgradeForm>) => void;
}) => (
    <Form onSubmit={e => e.preventDefault()}>
        <FormGroup role="radiogroup" isStack fieldId="he-appliance-source" label={_("Engine appliance")}>
            {appliances.map((a, i) => (
                <Radio key={a.conf} id={`he-appliance-installed-${i}`} name="he-appliance"
                       isChecked={form.applianceSource === "installed" && form.installedConf === a.conf}
                       isDisabled={!a.installed}
                       onChange={() => onForm({ applianceSource: "installed", installedConf: a.conf })}
                       label={cockpit.format(_("$0 (version $1)"), a.description, a.version)}
                       description={a.installed
                           ? cockpit.format(_("$0, $1"), a.path, a.sizeBytes === null ? "" : formatBytes(a.sizeBytes))
                           : cockpit.format(_("$0 is missing"), a.path)} />
            ))}
            <Radio id="he-appliance-ova" name="he-appliance" isChecked={form.applianceSource === "ova"}
                   onChange={() => onForm({ applianceSource: "ova" })}
                   label={_("Another appliance OVA file on this host")}
                   description={_("Its version is not known to this page: the upgrade then needs your explicit agreement on the Review step.")} />
        </FormGroup>
        {form.applianceSource === "ova" &&
            <>
                <FormGroup label={_("OVA path")} fieldId="he-ova-path" isRequired>
                    <TextInput id="he-ova-path" value={form.ovaPath} onChange={(_e, v) => onForm({ ovaPath: v.trim() })}
                               placeholder="/usr/share/ovirt-engine-appliance/ovirt-engine-appliance-4.0.ova"
                               validated={pathInvalid ? "error" : "default"} />
                    {pathInvalid &&
                        <FormHelperText><HelperText><HelperTextItem variant="error">{_("Enter an absolute path.")}</HelperTextItem></HelperText></FormHelperText>}
                </FormGroup>
                <FormGroup label={_("Expected sha1 (optional)")} fieldId="he-ova-sha1-input">
                    <TextInput id="he-ova-sha1-input" value={form.ovaSha1} onChange={(_e, v) => onForm({ ovaSha1: v.trim() })}
                               validated={sha1Invalid ? "error" : "default"} />
                    {sha1Invalid &&
                        <FormHelperText><HelperText><HelperTextItem variant="error">{_("40 hexadecimal digits.")}</HelperTextItem></HelperText></FormHelperText>}
                </FormGroup>
            </>}
    </Form>
);
