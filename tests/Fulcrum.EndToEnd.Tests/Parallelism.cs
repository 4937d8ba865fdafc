// Every class of this suite builds a whole lab (a server, nodes with their data planes, backends): on a machine of two
// cores, labs built side by side starve each other, and what would fail then is the machine, not the product.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
