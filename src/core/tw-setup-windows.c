/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seed's Windows OpenSSH steps as one PowerShell script, idempotent like the Linux one.
 * Windows specifics, and why:
 * - sshd reads an administrator's keys from %ProgramData%\ssh\administrators_authorized_keys
 *   (the default sshd_config's `Match Group administrators`), everyone else's from their
 *   profile's .ssh\authorized_keys. The script asks which case it is in.
 * - A new account has no profile folder until its first logon; a folder made by hand under
 *   C:\Users would make Windows create "C:\Users\NAME.HOST" later, and sshd would look there.
 *   CreateProfile (userenv.dll) makes the real one now.
 * - sshd refuses a key file that others than SYSTEM, Administrators and the user may write:
 *   icacls removes inherited rights; SIDs, because group names are translated.
 * - The file is written as UTF-8 without a byte-order mark ([IO.File]), which sshd reads;
 *   Windows PowerShell's Add-Content would write the ANSI code page or a BOM.
 * - The account gets a long random password nobody learns, rather than none: a blank password
 *   would allow console logons.
 */
#include "config.h"

#include "tw-setup-windows.h"
#include "tw-setup-authorized-keys.h"
#include "tw-setup-sshd.h"
#include "tw-setup-private.h"

static void
append_assignment (GString    *script,
                   const char *name,
                   const char *value)
{
  g_autofree char *quoted = tw_setup_powershell_quote (value);

  g_string_append_printf (script, "$%s = %s\n", name, quoted);
}

char *
tw_setup_windows_script (TwTunnel     *tunnel,
                         TwPublicKey  *key,
                         GError      **error)
{
  g_autoptr(GString) script = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  guint ssh_port;

  g_return_val_if_fail (TW_IS_TUNNEL (tunnel), NULL);
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  line = tw_setup_authorized_keys_line (tunnel, key, error);
  if (line == NULL)
    return NULL;
  addresses = tw_setup_normalize_addresses (tw_tunnel_get_service_addresses (tunnel), error);
  if (addresses == NULL)
    return NULL;

  ssh_port = tw_tunnel_get_ssh_port (tunnel);
  port = g_strdup_printf ("%u", (ssh_port > 0 && ssh_port <= 65535) ? ssh_port : 22);
  script = g_string_new (NULL);

  g_string_append (script,
    "# Tunnel Wizard: prepare this Windows server for the SSH tunnel user.\n"
    "# Run in PowerShell as administrator. Safe to run again.\n"
    "$ErrorActionPreference = 'Stop'\n");
  append_assignment (script, "User", tw_tunnel_get_user (tunnel));
  append_assignment (script, "KeyBlob", tw_public_key_get_base64 (key));
  append_assignment (script, "KeyLine", line);
  g_string_append_printf (script, "$SshPort = %s\n", port);

  g_string_append (script,
    "\n"
    "# 1. The OpenSSH server (Windows Server 2019, Windows 10 1809 and later).\n"
    "$Capability = 'OpenSSH.Server~~~~0.0.1.0'\n"
    "if ((Get-WindowsCapability -Online -Name $Capability).State -ne 'Installed') {\n"
    "    Add-WindowsCapability -Online -Name $Capability | Out-Null\n"
    "}\n"
    "\n"
    "# 2. sshd now and at every boot.\n"
    "Set-Service -Name sshd -StartupType Automatic\n"
    "Start-Service sshd\n"
    "\n"
    "# 3. Windows Firewall: the SSH port, inbound.\n"
    "if (-not (Get-NetFirewallRule -Name 'TunnelWizard-SSH-In' -ErrorAction SilentlyContinue)) {\n"
    "    New-NetFirewallRule -Name 'TunnelWizard-SSH-In' -DisplayName 'OpenSSH Server (Tunnel Wizard)' `\n"
    "        -Enabled True -Direction Inbound -Protocol TCP -Action Allow -LocalPort $SshPort");
  if (addresses[0] != NULL)
    {
      g_autofree char *list = g_strjoinv ("','", addresses);

      g_string_append_printf (script, " `\n        -RemoteAddress '%s'", list);
    }
  g_string_append (script, " | Out-Null\n}\n");
  if (addresses[0] != NULL)
    g_string_append (script,
      "# Installing OpenSSH also added the rule OpenSSH-Server-In-TCP, open to every address.\n"
      "# To let only the service in (mind your own access first):\n"
      "#   Disable-NetFirewallRule -Name OpenSSH-Server-In-TCP\n");

  g_string_append (script,
    "\n"
    "# 4. The tunnel user, with a long random password nobody knows: it logs in with the key.\n"
    "if (-not (Get-LocalUser -Name $User -ErrorAction SilentlyContinue)) {\n"
    "    $Bytes = New-Object byte[] 24\n"
    "    [Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($Bytes)\n"
    "    $Password = ConvertTo-SecureString ([Convert]::ToBase64String($Bytes) + 'Aa1!') -AsPlainText -Force\n"
    "    New-LocalUser -Name $User -Password $Password -PasswordNeverExpires -AccountNeverExpires `\n"
    "        -Description 'SSH tunnel (Tunnel Wizard)' | Out-Null\n"
    "}\n"
    "$Sid = (Get-LocalUser -Name $User).SID.Value\n"
    "\n"
    "# 5. Where sshd looks for the key: administrators_authorized_keys for administrators,\n"
    "#    the user's own .ssh\\authorized_keys for everyone else.\n"
    "$IsAdmin = [bool](Get-LocalGroupMember -SID 'S-1-5-32-544' -ErrorAction SilentlyContinue |\n"
    "    Where-Object { $_.SID.Value -eq $Sid })\n"
    "if ($IsAdmin) {\n"
    "    $KeysFile = Join-Path $env:ProgramData 'ssh\\administrators_authorized_keys'\n"
    "} else {\n"
    "    # Make the profile folder now: one made by hand would be renamed around at first logon.\n"
    "    $ProfileDir = (Get-CimInstance Win32_UserProfile -Filter \"SID='$Sid'\").LocalPath\n"
    "    if (-not $ProfileDir) {\n"
    "        Add-Type -Namespace TunnelWizard -Name UserEnv -MemberDefinition '[DllImport(\"userenv.dll\", CharSet = CharSet.Unicode)] public static extern int CreateProfile(string sid, string name, System.Text.StringBuilder path, uint size);'\n"
    "        $Buffer = New-Object System.Text.StringBuilder 260\n"
    "        $Result = [TunnelWizard.UserEnv]::CreateProfile($Sid, $User, $Buffer, 260)\n"
    "        if ($Result -ne 0) { throw \"Could not create the profile of ${User}: $Result\" }\n"
    "        $ProfileDir = $Buffer.ToString()\n"
    "    }\n"
    "    $SshDir = Join-Path $ProfileDir '.ssh'\n"
    "    if (-not (Test-Path $SshDir)) { New-Item -ItemType Directory -Path $SshDir | Out-Null }\n"
    "    $KeysFile = Join-Path $SshDir 'authorized_keys'\n"
    "}\n"
    "\n"
    "# 6. The key, on one line, once (compared on the base64 blob, not the whole line).\n"
    "$Present = (Test-Path $KeysFile) -and [bool](Get-Content $KeysFile |\n"
    "    Where-Object { $_ -notmatch '^\\s*#' -and (-split $_) -contains $KeyBlob })\n"
    "if ($Present) {\n"
    "    Write-Host \"The key is already in $KeysFile; left as it is.\"\n"
    "} else {\n"
    "    $Old = if (Test-Path $KeysFile) { [IO.File]::ReadAllText($KeysFile) } else { '' }\n"
    "    $Gap = if ($Old -and -not $Old.EndsWith(\"`n\")) { \"`n\" } else { '' }\n"
    "    [IO.File]::AppendAllText($KeysFile, $Gap + $KeyLine + \"`n\")\n"
    "    Write-Host \"Added the key to $KeysFile.\"\n"
    "}\n"
    "# Only SYSTEM, Administrators and the user: sshd ignores a file others can write.\n"
    "if ($IsAdmin) {\n"
    "    icacls.exe $KeysFile /inheritance:r /grant '*S-1-5-32-544:F' /grant '*S-1-5-18:F' | Out-Null\n"
    "} else {\n"
    "    icacls.exe $KeysFile /inheritance:r /grant '*S-1-5-32-544:F' /grant '*S-1-5-18:F' /grant \"*${Sid}:F\" | Out-Null\n"
    "}\n"
    "if ($LASTEXITCODE -ne 0) { throw \"icacls could not restrict $KeysFile\" }\n");

  if (tw_setup_sshd_config_needed (tunnel, key))
    {
      g_string_append_printf (script,
        "\n"
        "# 7. sshd_config: settings for this user only, added once; checked before the restart.\n"
        "$Config = Join-Path $env:ProgramData 'ssh\\sshd_config'\n"
        "if (-not (Select-String -Path $Config -SimpleMatch -Pattern 'Match User %s' -Quiet)) {\n"
        "    $Block = @'\n"
        "\n"
        "# Tunnel Wizard: settings for the tunnel user %s.\n"
        "Match User %s\n",
        tw_tunnel_get_user (tunnel), tw_tunnel_get_user (tunnel), tw_tunnel_get_user (tunnel));
      tw_setup_append_match_body (script, tunnel, key, TRUE);
      g_string_append (script,
        "'@\n"
        "    [IO.File]::AppendAllText($Config, $Block + \"`n\")\n"
        "}\n"
        "& (Join-Path $env:windir 'System32\\OpenSSH\\sshd.exe') -t\n"
        "if ($LASTEXITCODE -ne 0) { throw 'sshd_config has an error: sshd was not restarted.' }\n"
        "Restart-Service sshd\n");
    }

  g_string_append (script, "Write-Host \"Done: $User can log in with the key.\"\n");

  return g_string_free (g_steal_pointer (&script), FALSE);
}
