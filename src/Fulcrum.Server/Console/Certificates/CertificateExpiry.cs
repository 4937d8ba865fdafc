using MudBlazor;

namespace Fulcrum.Server.Console.Certificates;

/// <summary>How close a certificate is to expiring, in words and in colour: browsers refuse it the moment it does.</summary>
public static class CertificateExpiry
{
    /// <summary>Renewals are commonly done a month ahead (ACME clients renew at 30 days left).</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromDays(30);

    public static Color ColorOf(DateTimeOffset notAfter, DateTimeOffset now) =>
        notAfter <= now ? Color.Error : notAfter - now <= Soon ? Color.Warning : Color.Success;

    public static string Describe(DateTimeOffset notAfter, DateTimeOffset now)
    {
        var left = notAfter - now;
        return left <= TimeSpan.Zero ? $"expired {Days(-left)} ago"
            : left <= Soon ? $"expires in {Days(left)}"
            : $"valid for {Days(left)}";
    }

    private static string Days(TimeSpan span) => span.TotalDays < 1 ? "less than a day" : (int)span.TotalDays == 1 ? "1 day" : $"{(int)span.TotalDays} days";
}
