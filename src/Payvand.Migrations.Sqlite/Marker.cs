namespace Payvand.Migrations.Sqlite; public static class Marker { public static string Name => typeof(Program).Assembly.GetName().Name!; }
