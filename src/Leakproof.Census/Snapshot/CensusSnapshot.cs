using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census.Output;

namespace Leakproof.Census;

/// <summary>
/// Represents one census of the pending async work of a process: the model shared by the test checker, the
/// diagnostics endpoint and the command-line tool. Its JSON form is documented in <c>docs/census-schema.md</c>.
/// </summary>
public sealed class CensusSnapshot
{
    /// <summary>The schema version this library writes.</summary>
    /// <remarks>Version 2 added <see cref="CensusGroup.Stack"/>; a version 1 document reads as a version 2 one without it.</remarks>
    public const int CurrentSchemaVersion = 2;

    /// <summary>Gets the version of the JSON schema (<see cref="CurrentSchemaVersion"/> when written by this library).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Gets the process the census was taken in.</summary>
    public CensusProcessInfo Process { get; init; } = new();

    /// <summary>Gets when the census was taken, from the census's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CapturedAt { get; init; }

    /// <summary>Gets the source the operations came from: <c>runtime-registry</c> or <c>event-source</c>.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Gets what limited this census (a missing runtime field, a missing PDB); empty when nothing did.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the pending operations grouped by await site, largest group first.</summary>
    public IReadOnlyList<CensusGroup> Groups { get; init; } = [];

    /// <summary>Gets the identical logical async stacks coalesced, largest group first (empty when stacks were not requested).</summary>
    public IReadOnlyList<CensusChainGroup> Chains { get; init; } = [];

    /// <summary>Gets every pending operation, oldest first.</summary>
    public IReadOnlyList<PendingOperation> Operations { get; init; } = [];

    /// <summary>Gets the async methods collected while suspended since the census was enabled.</summary>
    public IReadOnlyList<AbandonedOperation> Abandoned { get; init; } = [];

    /// <summary>Parses a census written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The census.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The text is not a census.</exception>
    public static CensusSnapshot FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, CensusJsonContext.Default.CensusSnapshot)
            ?? throw new JsonException("The JSON text holds no census.");
    }

    /// <summary>Reads a census written by <see cref="ToJson"/> or <see cref="WriteJsonAsync"/> from UTF-8 JSON, without reading the whole text into memory first.</summary>
    /// <param name="utf8Json">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The census.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The stream holds no census.</exception>
    public static async Task<CensusSnapshot> FromJsonAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return await JsonSerializer.DeserializeAsync(utf8Json, CensusJsonContext.Default.CensusSnapshot, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("The JSON text holds no census.");
    }

    /// <summary>
    /// Writes the census as UTF-8 JSON to a stream as it is serialized: the document <see cref="ToJson"/> returns,
    /// without holding it in memory (a census listing hundreds of thousands of operations is hundreds of megabytes).
    /// </summary>
    /// <param name="utf8Json">The stream; left open.</param>
    /// <param name="indented">Whether to indent the output.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the census is written and the stream flushed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    public Task WriteJsonAsync(Stream utf8Json, bool indented = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return JsonSerializer.SerializeAsync(utf8Json, this, indented ? CensusJsonContext.Indented.CensusSnapshot : CensusJsonContext.Default.CensusSnapshot, cancellationToken);
    }

    /// <summary>Writes the census as JSON (camelCase, ages in seconds, enums as strings).</summary>
    /// <param name="indented">Whether to indent the output.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? CensusJsonContext.Indented.CensusSnapshot : CensusJsonContext.Default.CensusSnapshot);

    /// <summary>Writes the census as text, like Go's goroutine profile.</summary>
    /// <param name="detail">Groups only, or every operation with its stack.</param>
    /// <returns>The text.</returns>
    public string ToText(CensusTextDetail detail = CensusTextDetail.Groups) => CensusTextWriter.Write(this, detail);

    /// <summary>Writes the census as text (the document <see cref="ToText"/> returns) to a writer, a group or an operation at a time.</summary>
    /// <param name="writer">Where to write; not flushed or closed.</param>
    /// <param name="detail">Groups only, or every operation with its stack.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void WriteText(TextWriter writer, CensusTextDetail detail = CensusTextDetail.Groups)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CensusTextWriter.Write(this, detail, writer);
    }

    /// <summary>
    /// Writes the census as one self-contained HTML page (inline CSS, script and SVG; no external resources): a
    /// sortable table of groups, the coalesced async stacks as a tree, an age histogram and the abandoned methods.
    /// </summary>
    /// <returns>The HTML text; every value from the census is HTML-encoded.</returns>
    public string ToHtml() => CensusHtmlWriter.Write(this);

    /// <summary>Returns the grouped text form.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToText(CensusTextDetail.Groups);
}
