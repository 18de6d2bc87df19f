global using Microsoft.AspNetCore.Mvc;
global using Microsoft.EntityFrameworkCore;
global using CareerRelay.Web.Infrastructure;
global using CareerRelay.Web.Infrastructure.Problems;
