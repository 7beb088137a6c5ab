namespace Keyshift.Apis.Documents;

internal enum OpenApiVersion
{
    Swagger20,
    OpenApi30,
    OpenApi31,
}
