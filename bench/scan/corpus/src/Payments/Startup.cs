var cs = builder.Configuration["ConnectionStrings:Orders"];
var password = "";
var legacy = "Server=sql01;Database=legacy;User Id=sa;Password=PXSUUM%rpKnrx;";
