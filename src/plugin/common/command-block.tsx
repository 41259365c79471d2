// SPDX-License-Identifier: LGPL-2.1-or-later

import React, { useState } from "react";
import { ClipboardCopyButton } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/ClipboardCopyButton.js";
import { CodeBlock, CodeBlockAction, CodeBlockCode } from "@patternfly/react-core/dist/esm/components/CodeBlock/index.js";

import cockpit from "../lib/cockpit";

const _ = cockpit.gettext;

/*
 * A command to run elsewhere, shown whole (wrapped, never cut off in a
 * one-line field) with a button that copies it.
 */
export const CommandBlock = ({ id, command }: { id: string; command: string }) => {
    const [copied, setCopied] = useState(false);
    const copy = () => {
        navigator.clipboard?.writeText(command).then(() => setCopied(true), () => setCopied(false));
    };
    return (
        <CodeBlock id={id} className="he-command"
                   actions={
                       <CodeBlockAction>
                           <ClipboardCopyButton id={`${id}-copy`} aria-label={_("Copy")} variant="plain"
                                                onClick={copy} exitDelay={copied ? 1500 : 600} onTooltipHidden={() => setCopied(false)}>
                               {copied ? _("Copied") : _("Copy")}
                           </ClipboardCopyButton>
                       </CodeBlockAction>
                   }>
            <CodeBlockCode id={`${id}-text`}>{command}</CodeBlockCode>
        </CodeBlock>
    );
};
