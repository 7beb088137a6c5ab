namespace Keyshift.Apis.Documents;

internal enum ApiNodeKind
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}
