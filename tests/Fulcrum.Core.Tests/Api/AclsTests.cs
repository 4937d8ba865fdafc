using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class AclsTests
{
    [Fact]
    public void Normalize_Entries_CidrsNormalisedAndCommentsDefaulted()
    {
        var errors = new ValidationErrors();
        var request = new AclRequest("prj-1", "office", null,
        [
            new AclEntry("198.51.100.77/24", "office"),
            new AclEntry("203.0.113.9", null),
            new AclEntry("2001:DB8:0:0::1/32", "v6"),
            new AclEntry("2001:db8::5", null),
        ]);

        var acl = request.Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("", acl.Description);
        Assert.Equal(
            [
                new AclEntry("198.51.100.0/24", "office"),
                new AclEntry("203.0.113.9/32", ""),
                new AclEntry("2001:db8::/32", "v6"),
                new AclEntry("2001:db8::5/128", ""),
            ],
            acl.Entries);
    }

    [Fact]
    public void Normalize_EmptyEntryList_Accepted()
    {
        var errors = new ValidationErrors();

        var acl = new AclRequest("prj-1", "none", null, []).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Empty(acl.Entries!);
    }

    [Fact]
    public void Normalize_EntriesMissing_Required()
    {
        var errors = new ValidationErrors();

        new AclRequest("prj-1", "none", null, null).Normalize(errors);

        Assert.Equal(["entries"], errors.Paths());
    }

    [Fact]
    public void Normalize_BadCidrs_ErrorAtEachEntryIndex()
    {
        var errors = new ValidationErrors();
        var request = new AclRequest("prj-1", "office", null,
        [
            new AclEntry("10.0.0.0/8", null),
            new AclEntry("10.0.0.0/33", null),
            new AclEntry("10.0.0.0/8", null),
            new AclEntry("127.1", null),
            new AclEntry(null, null),
            new AclEntry("fe80::1%eth0", null),
        ]);

        var acl = request.Normalize(errors);

        Assert.Equal(["entries[1].cidr", "entries[3].cidr", "entries[4].cidr", "entries[5].cidr"], errors.Paths());
        Assert.Equal(["is required."], errors.MessagesAt("entries[4].cidr"));
        Assert.Equal(2, acl.Entries!.Count);
    }

    [Fact]
    public void Normalize_NullEntry_ErrorAtThatEntry()
    {
        var errors = new ValidationErrors();

        new AclRequest("prj-1", "office", null, [new AclEntry("10.0.0.0/8", null), null!]).Normalize(errors);

        Assert.Equal(["entries[1]"], errors.Paths());
    }

    [Fact]
    public void Normalize_CommentWithBidiOverride_ErrorAtThatComment()
    {
        var errors = new ValidationErrors();

        new AclRequest("prj-1", "office", null, [new AclEntry("10.0.0.0/8", "ok"), new AclEntry("10.1.0.0/16", "evil\u202Etxt")]).Normalize(errors);

        Assert.Equal(["entries[1].comment"], errors.Paths());
    }

    [Fact]
    public void Normalize_TooManyEntries_RejectedAsAWhole()
    {
        var errors = new ValidationErrors();
        var entries = Enumerable.Range(0, AclRequest.MaxEntries + 1).Select(_ => new AclEntry("not a cidr", null)).ToList();

        var acl = new AclRequest("prj-1", "big", null, entries).Normalize(errors);

        Assert.Equal(["entries"], errors.Paths());
        Assert.Equal(["must hold at most 10000 entries."], errors.MessagesAt("entries"));
        Assert.Empty(acl.Entries!);
    }

    [Fact]
    public void Normalize_MissingProjectAndName_BothRequired()
    {
        var errors = new ValidationErrors();

        new AclRequest(null, "", null, []).Normalize(errors);

        Assert.Equal(["name", "projectId"], errors.Paths());
    }

    /// <summary>The 10,000 bad entries: validation work (bytes allocated on this thread) grows linearly.</summary>
    [Fact]
    public void Normalize_TwiceTheBadEntries_AboutTwiceTheWork()
    {
        var small = AllocatedFor(5_000);
        var large = AllocatedFor(AclRequest.MaxEntries);

        Assert.InRange((double)large / small, 1.5, 2.6);
    }

    private static long AllocatedFor(int count)
    {
        var request = new AclRequest("prj_1", "acl", null, Enumerable.Range(0, count).Select(i => new AclEntry($"not a cidr {i}", null)).ToList());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var errors = new ValidationErrors();
        request.Normalize(errors);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(count, errors.Count);
        return allocated;
    }
}
