using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Payvand.Tests.Modules.Messaging.Email;

// A real IMAP server: Debian's Dovecot (package dovecot-imapd, installed by scripts/install-deps.sh) started as a
// throwaway instance for the test class: its own configuration, passwd-file and maildir in a temporary folder, plain
// IMAP on a free loopback port, never as root (the tests running as root start it as the "dovecot" user the package
// made), stopped and removed afterwards. One mailbox user, User with Password.
public sealed class TestImapServer : IAsyncLifetime
{
    public const string User = "bounces";
    public const string Password = "a bounce mailbox password of the test";
    private const string Dovecot = "/usr/sbin/dovecot";

    private readonly string dir = Directory.CreateTempSubdirectory("payvand-imap-").FullName;
    private Process? process;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Dovecot)) throw new InvalidOperationException($"{Dovecot} is missing: run scripts/install-deps.sh (Debian package dovecot-imapd).");
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        // Every process of the instance runs as one unprivileged user: the tests' own, or "dovecot" when they are root.
        var root = Environment.IsPrivilegedProcess;
        var (user, group) = root ? ("dovecot", "dovecot") : (await Run("id", "-un"), await Run("id", "-gn"));
        foreach (var sub in new[] { "run", "state", "home" }) Directory.CreateDirectory(Path.Combine(dir, sub));
        await File.WriteAllTextAsync(Path.Combine(dir, "passwd"), $"{User}:{{PLAIN}}{Password}\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "dovecot.conf"), $$"""
            base_dir = {{dir}}/run
            state_dir = {{dir}}/state
            log_path = {{dir}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_failure_delay = 0
            default_internal_user = {{user}}
            default_internal_group = {{group}}
            default_login_user = {{user}}
            first_valid_uid = 0
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{dir}}/passwd
            }
            userdb {
              driver = static
              args = uid={{user}} gid={{group}} home={{dir}}/home/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
              chroot =
            }
            service anvil {
              chroot =
            }

            """);
        if (root) await Run("chown", "-R", "dovecot:dovecot", dir);
        var start = root
            ? new ProcessStartInfo("setpriv", ["--reuid=dovecot", "--regid=dovecot", "--clear-groups", Dovecot, "-F", "-c", Path.Combine(dir, "dovecot.conf")])
            : new ProcessStartInfo(Dovecot, ["-F", "-c", Path.Combine(dir, "dovecot.conf")]);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        process = Process.Start(start)!;
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited) break;
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var log = File.Exists(Path.Combine(dir, "dovecot.log")) ? await File.ReadAllTextAsync(Path.Combine(dir, "dovecot.log")) : "";
        throw new InvalidOperationException($"Dovecot did not start on port {Port}: {await process.StandardError.ReadToEndAsync()} {log}");
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    // A mail put into a folder (made when missing), unseen, as a mail server delivers it.
    public async Task Deliver(MimeMessage mail, string folder = "INBOX")
    {
        using var client = await Connect();
        var target = await Folder(client, folder, create: true);
        await target.AppendAsync(mail, MessageFlags.None);
        await client.DisconnectAsync(true);
    }

    // The flags of the mail with this Message-ID.
    public async Task<MessageFlags> Flags(string messageId, string folder = "INBOX")
    {
        using var client = await Connect();
        var target = await Folder(client, folder, create: false);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var uid = Assert.Single(await target.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId)));
        var summary = Assert.Single(await target.FetchAsync([uid], MessageSummaryItems.Flags));
        await client.DisconnectAsync(true);
        return summary.Flags ?? MessageFlags.None;
    }

    // Takes \Seen off every mail of the folder, as if the process had died after saving and before marking them.
    public async Task MarkAllUnseen(string folder = "INBOX")
    {
        using var client = await Connect();
        var target = await Folder(client, folder, create: false);
        await target.OpenAsync(FolderAccess.ReadWrite);
        await target.RemoveFlagsAsync(await target.SearchAsync(SearchQuery.All), MessageFlags.Seen, true);
        await client.DisconnectAsync(true);
    }

    private async Task<ImapClient> Connect()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    private static async Task<IMailFolder> Folder(ImapClient client, string name, bool create)
    {
        if (name == "INBOX") return client.Inbox;
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var existing = (await root.GetSubfoldersAsync()).FirstOrDefault(f => f.Name == name);
        if (existing is not null) return existing;
        return create ? await root.CreateAsync(name, true) ?? throw new InvalidOperationException($"{name} was not made") : throw new InvalidOperationException($"No folder {name}");
    }

    private static async Task<string> Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {await p.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }
}
