using System.Text.RegularExpressions;

namespace Keyshift.Scanning.Rules;

/// <summary>Builds the referenced name from a reference rule's match, when the <c>name</c> group alone is not enough.</summary>
internal delegate string? ReferenceNamer(Match match);
