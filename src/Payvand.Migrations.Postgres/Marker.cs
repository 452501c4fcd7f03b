namespace Payvand.Migrations.Postgres; public static class Marker { public static string Name => typeof(Program).Assembly.GetName().Name!; }
