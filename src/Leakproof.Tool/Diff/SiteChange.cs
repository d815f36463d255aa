namespace Leakproof.Tool.Diff;

/// <summary>How one await site changed between two censuses.</summary>
/// <param name="Key">The group key (the await site).</param>
/// <param name="Site">The site as <c>method (file:line)</c>, or the key when the site is unknown.</param>
/// <param name="Change">grew, shrank, appeared, vanished or unchanged.</param>
/// <param name="Before">Pending operations in the first census.</param>
/// <param name="After">Pending operations in the second census.</param>
internal sealed record SiteChange(string Key, string Site, string Change, int Before, int After)
{
    public int Delta => After - Before;
}
