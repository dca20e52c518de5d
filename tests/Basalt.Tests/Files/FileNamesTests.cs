using System.Text.RegularExpressions;
using Basalt.Files;

namespace Basalt.Tests.Files;

/// <summary>Stored names as PocketBase makes them (tools/filesystem normalizeName), with the extension lower-cased.</summary>
public sealed class FileNamesTests
{
    [Theory]
    [InlineData("My Photo.TXT", "text/plain", "^my_photo_[a-z0-9]{10}\\.txt$")]
    [InlineData("archive.tar.GZ", "application/gzip", "^archive_[a-z0-9]{10}\\.tar\\.gz$")]
    [InlineData("myTestDB.json", "application/json", "^my_test_db_[a-z0-9]{10}\\.json$")]
    [InlineData("ÄÖü naïve  file--name.pdf", "application/pdf", "^na_ve_file_name_[a-z0-9]{10}\\.pdf$")]
    [InlineData("ab", "text/plain; charset=utf-8", "^ab[a-z0-9]{10}_[a-z0-9]{10}\\.txt$")]
    [InlineData("noext", "image/png", "^noext_[a-z0-9]{10}\\.png$")]
    [InlineData("noext", "application/octet-stream", "^noext_[a-z0-9]{10}$")]
    [InlineData(".hidden", "text/plain", "^[a-z0-9]{10}_[a-z0-9]{10}\\.hidden$")]
    [InlineData("../../etc/passwd", "text/plain", "^passwd_[a-z0-9]{10}\\.txt$")]
    [InlineData("C:\\Users\\me\\cv.DOCX", "application/zip", "^cv[a-z0-9]{10}_[a-z0-9]{10}\\.docx$")]
    [InlineData("a.b<script>", "text/plain", "^a[a-z0-9]{10}_[a-z0-9]{10}\\.bscript$")]
    public void Names_are_snake_cased_suffixed_and_keep_a_clean_extension(string original, string contentType, string pattern)
    {
        var name = FileNames.Create(original, contentType);
        Assert.Matches(new Regex(pattern), name);
        Assert.True(FileNames.IsValid(name), name);
    }

    [Fact]
    public void Long_names_and_extensions_are_cut()
    {
        var name = FileNames.Create(new string('a', 300) + "." + new string('x', 40), "text/plain");
        Assert.Matches(new Regex("^a{100}_[a-z0-9]{10}\\.x{20}$"), name);
        Assert.True(name.Length <= FileNames.MaxLength);
    }

    [Fact]
    public void Every_name_is_new()
    {
        var names = Enumerable.Range(0, 1000).Select(_ => FileNames.Create("same.txt", "text/plain")).ToHashSet();
        Assert.Equal(1000, names.Count);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(".upload-123", false)]
    [InlineData("..", false)]
    [InlineData("a/b.txt", false)]
    [InlineData("a\\b.txt", false)]
    [InlineData("a\0b.txt", false)]
    [InlineData("photo_0123456789.png", true)]
    public void Only_plain_names_are_valid(string name, bool valid) => Assert.Equal(valid, FileNames.IsValid(name));

    [Theory]
    [InlineData("pbc_1/rec/a.txt", true)]
    [InlineData("pbc_1/../a.txt", false)]
    [InlineData("pbc_1/rec/thumbs_a.txt/1x1_a.txt", false)]
    [InlineData("/pbc_1/rec/a.txt", false)]
    public void Keys_parse_only_as_collection_record_name(string key, bool parses) => Assert.Equal(parses, FileKeys.Parse(key) is not null);

    [Fact]
    public void Keys_refuse_unsafe_segments() =>
        Assert.Throws<ArgumentException>(() => FileKeys.File("pbc_1", "..", "a.txt"));
}
