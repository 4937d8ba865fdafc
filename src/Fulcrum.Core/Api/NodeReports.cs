using System.Globalization;
using System.Text;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Api;

/// <summary>
/// The rules a <see cref="NodeReport"/> is held to. Numbers and ids are checked strictly; the apply error is the
/// validator's own text, which the node does not control, so it is made safe instead of refused: a heartbeat refused
/// for a long haproxy message would leave the node shown offline.
/// </summary>
public static class NodeReports
{
    /// <summary>Longer apply errors are cut here (in UTF-16 code units), ending with '…'.</summary>
    public const int MaxErrorLength = 4096;

    public const int MaxVersionLength = 128;

    /// <summary>More backends or listeners than this in one report is refused; a node with more splits its picture over several reports.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>A restart's reason is made safe like an apply error, and cut shorter: it is a line, not a validator's output.</summary>
    public const int MaxRestartReasonLength = 512;

    /// <summary>Access-log lines of one listener in one report; the agent keeps no more than these waiting.</summary>
    public const int MaxAccessLogLines = 100;

    /// <summary>Listeners with access-log lines in one report.</summary>
    public const int MaxAccessLogListeners = 1000;

    /// <summary>A logged URI is cut here, ending with '…'.</summary>
    public const int MaxAccessLogUriLength = 2048;

    private const int MaxIdLength = 64;

    /// <summary>The programs a node supervises, the only ones a restart may be reported for.</summary>
    public static IReadOnlyList<string> SupervisedTools { get; } = ["haproxy", "nginx", "keepalived"];

    /// <summary>
    /// The report with its error text made safe (<see cref="ErrorText"/>); every problem is recorded under its JSON
    /// path. Backends and listeners are each reported at most once; ids the server does not know are allowed (they
    /// are ignored by the server: the node may serve an older snapshot).
    /// </summary>
    public static NodeReport Normalize(this NodeReport report, ValidationErrors errors)
    {
        NotNegative(errors, "appliedRevision", report.AppliedRevision);
        if (report.LastErrorRevision is { } failed)
        {
            NotNegative(errors, "lastErrorRevision", failed);
        }

        var lastError = ErrorText(report.LastError);
        if (lastError is null && report.LastErrorRevision is not null)
        {
            errors.Add("lastError", "is required with lastErrorRevision: the validator's message for that revision.");
        }
        else if (lastError is not null && report.LastErrorRevision is null)
        {
            errors.Add("lastErrorRevision", "is required with lastError: the revision that failed to apply.");
        }

        var versions = report.Versions;
        if (versions is null)
        {
            errors.Add("versions", "is required.");
        }
        else
        {
            Version(errors, "versions.agent", versions.Agent);
            Version(errors, "versions.haproxy", versions.Haproxy);
            Version(errors, "versions.nginx", versions.Nginx);
            Version(errors, "versions.keepalived", versions.Keepalived);
        }

        Entries(errors, "backends", report.Backends, "backendId", b => b.BackendId, (_, _) => { });
        Entries(errors, "listeners", report.Listeners, "listenerId", l => l.ListenerId, (path, l) =>
        {
            NotNegative(errors, $"{path}.currentConnections", l.CurrentConnections);
            NotNegative(errors, $"{path}.totalConnections", l.TotalConnections);
            NotNegative(errors, $"{path}.bytesIn", l.BytesIn);
            NotNegative(errors, $"{path}.bytesOut", l.BytesOut);
            if (l.Responses is { } responses)
            {
                NotNegative(errors, $"{path}.responses.informational", responses.Informational);
                NotNegative(errors, $"{path}.responses.success", responses.Success);
                NotNegative(errors, $"{path}.responses.redirection", responses.Redirection);
                NotNegative(errors, $"{path}.responses.clientError", responses.ClientError);
                NotNegative(errors, $"{path}.responses.serverError", responses.ServerError);
                NotNegative(errors, $"{path}.responses.other", responses.Other);
            }
        });

        var stopped = report.StoppedListeners ?? [];
        if (stopped.Count > 0 && !report.Changes)
        {
            errors.Add("stoppedListeners", "is only for a report of changes: a whole report drops the counters of listeners it leaves out.");
        }
        else if (stopped.Count > MaxEntries)
        {
            errors.Add("stoppedListeners", $"must have at most {MaxEntries} entries.");
        }
        else
        {
            for (var i = 0; i < stopped.Count; i++)
            {
                if (!IsId(stopped[i]))
                {
                    errors.Add($"stoppedListeners[{i}]", "must be an id, such as lsn-3kq9z0c4m1x7t2ab.");
                }
            }
        }

        var loadBalancerErrors = new List<LoadBalancerApplyError>();
        Entries(errors, "loadBalancerErrors", report.LoadBalancerErrors ?? [], "loadBalancerId", e => e.LoadBalancerId, (path, e) =>
        {
            NotNegative(errors, $"{path}.revision", e.Revision);
            if (ErrorText(e.Error) is { } text)
            {
                loadBalancerErrors.Add(e with { Error = text });
            }
            else
            {
                errors.Add($"{path}.error", "is required: the tool's message.");
            }
        });


        var restarts = Restarts(errors, report.Restarts);
        var accessLogs = AccessLogs(errors, report.AccessLogs);
        return report with { LastError = lastError, Restarts = restarts, StoppedListeners = stopped, LoadBalancerErrors = loadBalancerErrors, AccessLogs = accessLogs };
    }

    /// <summary>
    /// Ids, addresses and numbers are held to their grammars; the method, the URI and the termination state are what a
    /// client sent, so they are made safe like an apply error (and the URI cut) rather than refused.
    /// </summary>
    private static List<ListenerAccessLog>? AccessLogs(ValidationErrors errors, IReadOnlyList<ListenerAccessLog?>? logs)
    {
        if (logs is null)
        {
            return null;
        }

        if (logs.Count > MaxAccessLogListeners)
        {
            errors.Add("accessLogs", $"must have at most {MaxAccessLogListeners} entries.");
            return null;
        }

        var kept = new List<ListenerAccessLog>();
        Entries(errors, "accessLogs", logs, "listenerId", l => l.ListenerId, (path, log) =>
        {
            var lines = log.Lines ?? [];
            if (lines.Count > MaxAccessLogLines)
            {
                errors.Add($"{path}.lines", $"must have at most {MaxAccessLogLines} entries.");
                return;
            }

            var safe = new List<AccessLogEntry>(lines.Count);
            for (var i = 0; i < lines.Count; i++)
            {
                if (AccessLogLine(errors, $"{path}.lines[{i}]", log.ListenerId, lines[i]) is { } line)
                {
                    safe.Add(line);
                }
            }

            kept.Add(log with { Lines = safe });
        });
        return kept;
    }

    /// <summary>
    /// Whether a node may report the line as it is: the agent keeps only such lines, so that no line it received can
    /// get its heartbeats refused.
    /// </summary>
    public static bool IsReportable(AccessLogEntry line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var errors = new ValidationErrors();
        AccessLogLine(errors, "line", line.ListenerId, line);
        return errors.IsEmpty && IsId(line.ListenerId);
    }

    private static AccessLogEntry? AccessLogLine(ValidationErrors errors, string path, string listenerId, AccessLogEntry? line)
    {
        if (line is null)
        {
            errors.Add(path, "must be an object.");
            return null;
        }

        if (line.ListenerId != listenerId)
        {
            errors.Add($"{path}.listenerId", "must be the listener the lines are reported for.");
        }

        if (line.ClientAddress is null || !Grammar.TryParseIp(line.ClientAddress, out _))
        {
            errors.Add($"{path}.clientAddress", "must be an IP address.");
        }

        if (line.ClientPort is < 0 or > 65535)
        {
            errors.Add($"{path}.clientPort", "must be between 0 and 65535.");
        }

        foreach (var (field, id) in new[] { ("backendGroupId", line.BackendGroupId), ("backendId", line.BackendId) })
        {
            if (id is not null && !IsId(id))
            {
                errors.Add($"{path}.{field}", "must be an id, such as be-3kq9z0c4m1x7t2ab.");
            }
        }

        foreach (var (field, value) in new[]
        {
            ("status", (long?)line.Status), ("bytesIn", line.BytesIn), ("bytesOut", line.BytesOut), ("requestMs", line.RequestMs),
            ("queueMs", line.QueueMs), ("connectMs", line.ConnectMs), ("responseMs", line.ResponseMs), ("totalMs", line.TotalMs),
        })
        {
            if (value is { } number)
            {
                NotNegative(errors, $"{path}.{field}", number);
            }
        }

        return line with
        {
            Method = ErrorText(line.Method) is { } method ? Cut(method, 32) : null,
            Uri = ErrorText(line.Uri?.ReplaceLineEndings(" ")) is { } uri ? Cut(uri, MaxAccessLogUriLength) : null,
            TerminationState = ErrorText(line.TerminationState) is { } ended ? Cut(ended, 8) : null,
        };
    }

    private static List<ProcessRestarts>? Restarts(ValidationErrors errors, IReadOnlyList<ProcessRestarts?>? restarts)
    {
        if (restarts is null)
        {
            return null;
        }

        var kept = new List<ProcessRestarts>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < restarts.Count; i++)
        {
            var path = $"restarts[{i}]";
            if (restarts[i] is not { } restart)
            {
                errors.Add(path, "must be an object.");
                continue;
            }

            if (restart.Tool is null || !SupervisedTools.Contains(restart.Tool))
            {
                errors.Add($"{path}.tool", $"must be one of {string.Join(", ", SupervisedTools)}.");
            }
            else if (!seen.Add(restart.Tool))
            {
                errors.Add($"{path}.tool", $"'{restart.Tool}' is reported twice; report each once.");
            }

            NotNegative(errors, $"{path}.count", restart.Count);
            var reason = ErrorText(restart.LastReason);
            kept.Add(restart with { LastReason = reason is null ? null : Cut(reason, MaxRestartReasonLength) });
        }

        return kept;
    }

    /// <summary>
    /// A validator's message made safe to store and show: invalid UTF-16 becomes U+FFFD, tabs become spaces, other
    /// control and invisible formatting characters (bidi overrides, zero-width) are dropped except newlines, and the
    /// text is cut at <see cref="MaxErrorLength"/>. Null when nothing is left.
    /// </summary>
    public static string? ErrorText(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == '\t')
            {
                kept.Append(' ');
            }
            else if (rune.Value == '\n' || Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format))
            {
                kept.Append(rune.ToString());
            }
        }

        var result = Cut(kept.ToString().Trim(), MaxErrorLength);
        return result.Length == 0 ? null : result;
    }

    /// <summary>The text cut to at most <paramref name="max"/> code units, ending with '…', never inside a surrogate pair.</summary>
    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return text[..cut] + "…";
    }

    private static bool IsId(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static void NotNegative(ValidationErrors errors, string path, long value)
    {
        if (value < 0)
        {
            errors.Add(path, "must be 0 or more.");
        }
    }

    private static void Version(ValidationErrors errors, string path, string? value) =>
        Grammar.DisplayText(errors, path, value, MaxVersionLength, required: false);

    private static void Entries<T>(ValidationErrors errors, string path, IReadOnlyList<T?>? entries, string idField, Func<T, string?> id, Action<string, T> check)
        where T : class
    {
        if (entries is null)
        {
            errors.Add(path, "is required (an empty list when there is nothing to report).");
            return;
        }

        if (entries.Count > MaxEntries)
        {
            errors.Add(path, $"must have at most {MaxEntries} entries.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entryPath = $"{path}[{i}]";
            if (entries[i] is not { } entry)
            {
                errors.Add(entryPath, "must be an object.");
                continue;
            }

            var value = id(entry);
            if (string.IsNullOrEmpty(value))
            {
                errors.Add($"{entryPath}.{idField}", "is required.");
            }
            else if (!IsId(value))
            {
                errors.Add($"{entryPath}.{idField}", "must be an id, such as lsn-3kq9z0c4m1x7t2ab.");
            }
            else if (!seen.Add(value))
            {
                errors.Add($"{entryPath}.{idField}", $"'{value}' is reported twice; report each once.");
            }

            check(entryPath, entry);
        }
    }
}
